import Foundation
import Testing
@testable import VectorStore

@Suite struct FilterTests {
    static let dimension = 24

    @Test func backtestFilterIsExactAndScansOnlyThatBacktest() async throws {
        let rows = Fixtures.rows(count: 20_000, dimension: Self.dimension, seed: 21)
        let index = try await Fixtures.index(rows, dimension: Self.dimension, threads: 2)
        var rng = SeededGenerator(seed: 1)
        let query = Fixtures.unitVector(Self.dimension, &rng)
        let result = try index.search(query, k: 10, filter: .backtest("bt-3"))
        let expected = Fixtures.reference(rows, query: query, k: 10) { $0.metadata.backtestId == "bt-3" }
        #expect(result.hits.map(\.id) == expected.map(\.id))
        #expect(result.hits.allSatisfy { $0.metadata.backtestId == "bt-3" })
        let inBacktest = rows.filter { $0.metadata.backtestId == "bt-3" }.count
        #expect(result.stats.scannedRows == inBacktest)
        #expect(result.stats.scannedRows < rows.count / 4)
        // The batch path uses the same ranges.
        let batch = try index.snapshot().search(batch: [query], k: 10, filter: .backtest("bt-3"))
        #expect(batch.first?.hits.map(\.id) == expected.map(\.id))
        #expect(batch.first?.stats.scannedRows == inBacktest)
    }

    @Test func smallBacktestAmongManyRowsScansFewRows() async throws {
        var rows = Fixtures.rows(count: 30_000, dimension: Self.dimension, seed: 22)
        var rng = SeededGenerator(seed: 2)
        let tiny = (0..<12).map {
            VectorRow(id: "tiny-\($0)", vector: Fixtures.unitVector(Self.dimension, &rng),
                      metadata: VectorMetadata(backtestId: "bt-tiny", kind: "trade"))
        }
        rows.insert(contentsOf: tiny, at: 15_000)
        let index = try await Fixtures.index(rows, dimension: Self.dimension)
        let result = try index.search(tiny[4].vector, k: 5, filter: .backtest("bt-tiny"))
        #expect(result.stats.scannedRows == 12)
        #expect(result.hits.count == 5)
        #expect(result.hits.first?.id == "tiny-4")
        #expect(try index.search(tiny[4].vector, k: 5, filter: .backtest("absent")).hits.isEmpty)
    }

    @Test func kindsAndTimeRangeAreExact() async throws {
        let rows = Fixtures.rows(count: 8_000, dimension: Self.dimension, seed: 23)
        let index = try await Fixtures.index(rows, dimension: Self.dimension)
        var rng = SeededGenerator(seed: 3)
        let query = Fixtures.unitVector(Self.dimension, &rng)
        let lower = Fixtures.epoch.addingTimeInterval(10 * 86_400 + 3600)
        let upper = Fixtures.epoch.addingTimeInterval(12 * 86_400)
        let filter = VectorSearchFilter(backtestIds: ["bt-1", "bt-2"], kinds: ["trade", "stats"], timeRange: lower...upper)
        func matches(_ row: VectorRow) -> Bool {
            guard let backtest = row.metadata.backtestId, ["bt-1", "bt-2"].contains(backtest),
                  ["trade", "stats"].contains(row.metadata.kind),
                  let start = row.metadata.timeStart, let end = row.metadata.timeEnd else { return false }
            return start <= upper && end >= lower
        }
        let expected = Fixtures.reference(rows, query: query, k: 15, where: matches)
        #expect(expected.count == 15)
        let single = try index.search(query, k: 15, filter: filter)
        #expect(single.hits.map(\.id) == expected.map(\.id))
        #expect(single.stats.scoredRows == rows.filter(matches).count)
        let batch = try index.snapshot().search(batch: [query], k: 15, filter: filter)
        #expect(batch.first?.hits.map(\.id) == expected.map(\.id))

        let kindsOnly = try index.search(query, k: 10, filter: VectorSearchFilter(kinds: ["daily"]))
        #expect(kindsOnly.hits.map(\.id) == Fixtures.reference(rows, query: query, k: 10) { $0.metadata.kind == "daily" }.map(\.id))
    }
}
