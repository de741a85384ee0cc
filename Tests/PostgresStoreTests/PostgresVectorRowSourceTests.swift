import Foundation
import Logging
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing
import VectorStore

@Suite("Vector rows in PostgreSQL")
struct PostgresVectorRowSourceTests {
    /// A unit vector pointing mostly along `axis`.
    static func vector(_ axis: Int, dimension: Int = 8) -> [Float] {
        var values = [Float](repeating: 0.05, count: dimension)
        values[axis] = 1
        let norm = values.map { $0 * $0 }.reduce(0, +).squareRoot()
        return values.map { $0 / norm }
    }

    static func rows(_ count: Int, backtest: UUID? = nil) -> [VectorRow] {
        (0..<count).map { index in
            VectorRow(
                id: "doc-\(index)", vector: vector(index % 8),
                metadata: VectorMetadata(
                    backtestId: backtest?.uuidString.lowercased(), kind: index.isMultiple(of: 2) ? "trade" : "day",
                    timeStart: Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 60),
                    timeEnd: Date(timeIntervalSince1970: 1_700_000_030 + Double(index) * 60)))
        }
    }

    @Test("rows round-trip exactly, and every write changes the version")
    func roundTrip() async throws {
        try await TestDatabase.withStore { store, _ in
            let source = PostgresVectorRowSource(client: store.client, logger: store.logger)
            let v0 = try await source.currentVersion()
            let written = Self.rows(10)
            try await source.upsert(written, model: "test")
            let v1 = try await source.currentVersion()
            #expect(v1 > v0)
            let loaded = try await source.loadAllRows()
            #expect(loaded.sorted { $0.id < $1.id } == written.sorted { $0.id < $1.id })
            #expect(try await source.delete(ids: ["doc-1", "doc-2", "missing"]) == 2)
            #expect(try await source.currentVersion() > v1)
            #expect(try await source.loadAllRows().count == 8)
        }
    }

    @Test("a backtest id that is not a UUID, or a NaN, is refused before anything is written")
    func refusesBadRows() async throws {
        try await TestDatabase.withStore { store, _ in
            let source = PostgresVectorRowSource(client: store.client, logger: store.logger)
            let bad = VectorRow(id: "x", vector: [1, 0], metadata: VectorMetadata(backtestId: "not-a-uuid", kind: "trade"))
            await #expect(throws: PipsightError.self) { try await source.upsert(Self.rows(2) + [bad], model: "test") }
            let nan = VectorRow(id: "y", vector: [.nan, 0], metadata: VectorMetadata(kind: "trade"))
            await #expect(throws: PipsightError.self) { try await source.upsert([nan], model: "test") }
            let stored = try await source.loadAllRows()
            #expect(stored.isEmpty)
        }
    }

    @Test("the index loads from PostgreSQL, trusts a current snapshot file, and reloads when rows changed or the file is damaged")
    func indexLoads() async throws {
        try await TestDatabase.withStore { store, _ in
            let source = PostgresVectorRowSource(client: store.client, logger: store.logger)
            try await source.upsert(Self.rows(16), model: "test")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-\(UUID().uuidString).vec")
            defer { try? FileManager.default.removeItem(at: file) }
            let logger = Logger(label: "test")

            let first = try await VectorIndex.load(from: source, snapshotFile: file, dimension: 8, logger: logger)
            #expect(first.loadReport?.origin == .rowSource)
            #expect(first.count == 16)
            let hit = try first.search(Self.vector(3), k: 1).hits.first
            #expect(hit?.id == "doc-11") // doc-3 and doc-11 tie exactly; the smaller id wins

            let second = try await VectorIndex.load(from: source, snapshotFile: file, dimension: 8, logger: logger)
            #expect(second.loadReport?.origin == .snapshotFile)

            try await source.upsert([VectorRow(id: "doc-new", vector: Self.vector(5), metadata: VectorMetadata(kind: "day"))], model: "test")
            let third = try await VectorIndex.load(from: source, snapshotFile: file, dimension: 8, logger: logger)
            #expect(third.loadReport?.origin == .rowSource)
            #expect(third.count == 17)

            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: file)
            let fourth = try await VectorIndex.load(from: source, snapshotFile: file, dimension: 8, logger: logger)
            #expect(fourth.loadReport?.origin == .rowSource)
            #expect(fourth.count == 17)
        }
    }
}
