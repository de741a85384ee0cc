import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
@testable import PostgresStore
import Testing

@Suite("Storing exports")
struct BacktestStoreTests {
    static func count(_ store: BacktestStore, _ table: String) async throws -> Int {
        // Table names come from the test itself, never from input.
        let rows = try await store.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: store.logger)
        var count = 0
        for try await value in rows.decode(Int.self) { count = value }
        return count
    }

    @Test("the real events.json is stored whole: every event, every closed position")
    func realEvents() async throws {
        try await TestDatabase.withStore { store, _ in
            let outcome = try await store.ingest(try Fixtures.realEvents())
            guard case .ingested(let backtest) = outcome else {
                Issue.record("expected a new backtest, got \(outcome)")
                return
            }
            #expect(backtest.format == .eventsJSON)
            #expect(backtest.events == Fixtures.RealEvents.events)
            #expect(backtest.trades == Fixtures.RealEvents.closedPositions)
            #expect(try await Self.count(store, "events") == Fixtures.RealEvents.events)
            #expect(try await Self.count(store, "trades") == Fixtures.RealEvents.closedPositions)
            let rows = try await store.client.query(
                """
                SELECT sum(gross_profit), count(*) FILTER (WHERE direction = 'buy'),
                       count(*) FILTER (WHERE close_reason = 'stop_loss'), count(*) FILTER (WHERE close_reason = 'manual')
                FROM trades
                """, logger: store.logger)
            for try await (gross, buys, stopLoss, manual) in rows.decode((Decimal, Int, Int, Int).self) {
                #expect(gross == Fixtures.RealEvents.grossProfitSum)
                #expect(buys == Fixtures.RealEvents.buyPositions)
                #expect(stopLoss == Fixtures.RealEvents.stopLossCloses)
                #expect(manual == Fixtures.RealEvents.manualCloses)
            }
            let summary = try #require(try await store.summary(id: backtest.id))
            #expect(summary.tradeCount == Fixtures.RealEvents.closedPositions)
            #expect(summary.sourceSHA256 == BacktestStore.sha256Hex(try Fixtures.realEvents().data))
        }
    }

    @Test("ingesting the same bytes twice stores nothing new and names the first backtest")
    func idempotent() async throws {
        try await TestDatabase.withStore { store, _ in
            let input = ImportInput(name: "events.json", data: Data(TestFixtures.smallEvents.utf8))
            let first = try await store.ingest(input)
            let renamed = ImportInput(name: "copy-of-events.json", data: input.data)
            let second = try await store.ingest(renamed)
            #expect(second == .alreadyIngested(id: first.backtestID))
            #expect(try await Self.count(store, "backtests") == 1)
            #expect(try await Self.count(store, "trades") == 2)
            #expect(try await Self.count(store, "events") == 5)
        }
    }

    @Test("concurrent ingests of the same bytes store one backtest")
    func concurrentIdempotent() async throws {
        try await TestDatabase.withStore { store, _ in
            let input = ImportInput(name: "events.json", data: Data(TestFixtures.smallEvents.utf8))
            let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<4 { group.addTask { try await store.ingest(input).backtestID } }
                var ids = Set<UUID>()
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(ids.count == 1)
            #expect(try await Self.count(store, "backtests") == 1)
            #expect(try await Self.count(store, "trades") == 2)
        }
    }

    @Test("a file that fails to parse writes nothing and keeps what was stored before")
    func badFileWritesNothing() async throws {
        try await TestDatabase.withStore { store, _ in
            _ = try await store.ingest(ImportInput(name: "good.json", data: Data(TestFixtures.smallEvents.utf8)))
            let truncated = Data(TestFixtures.smallEvents.utf8.prefix(700))
            await #expect(throws: PipsightError.self) {
                try await store.ingest(ImportInput(name: "truncated.json", data: truncated), format: .eventsJSON)
            }
            #expect(try await Self.count(store, "backtests") == 1)
            #expect(try await Self.count(store, "events") == 5)
        }
    }

    @Test("a History CSV of many record batches is stored in file order; an error near its end names the line")
    func manyBatches() async throws {
        try await TestDatabase.withStore { store, _ in
            // 3,000 positions: several batches of records between the parser and the encoder thread.
            let generator = SampleGenerator(seed: 21, trades: 3000)
            let csv = generator.write(.historyCSV)
            let expected = generator.pipsightTrades()
            guard case .ingested(let stored) = try await store.ingest(ImportInput(name: "many.csv", data: csv)) else {
                Issue.record("not ingested")
                return
            }
            #expect(stored.trades == expected.count)
            let rows = try await store.client.query(
                "SELECT position_id, net_profit::text FROM trades WHERE backtest_id = \(stored.id) ORDER BY seq",
                logger: store.logger)
            var read: [(String, String?)] = []
            for try await (id, net) in rows.decode((String, String?).self) { read.append((id, net)) }
            #expect(read.map(\.0) == expected.map(\.positionId))
            #expect(read.map { $0.1.flatMap { Decimal(string: $0) } } == expected.map(\.netProfit))

            // The same file with one closing time broken near its end: the error comes from the parser thread
            // through the encoder with its line, and nothing of the file is stored.
            var lines = String(decoding: csv, as: UTF8.self).components(separatedBy: "\r\n")
            let broken = lines.count - 10
            var cells = lines[broken].components(separatedBy: ",")
            cells[6] = "not a time"
            lines[broken] = cells.joined(separator: ",")
            let error = await #expect(throws: PipsightError.self) {
                try await store.ingest(ImportInput(name: "broken.csv", data: Data(lines.joined(separator: "\r\n").utf8)))
            }
            #expect(error?.location?.file == "broken.csv")
            #expect(error?.location?.line == broken + 1)
            #expect(error?.location?.field == "Closing Time")
            #expect(try await Self.count(store, "backtests") == 1)
            #expect(try await Self.count(store, "trades") == expected.count)
        }
    }

    @Test("100 MB of random bytes are refused with a clear error, detected or forced, and nothing is stored")
    func garbage() async throws {
        try await TestDatabase.withStore { store, _ in
            var generator = SystemRandomNumberGenerator()
            var bytes = [UInt8](repeating: 0, count: 100 << 20)
            for index in stride(from: 0, to: bytes.count, by: 8) {
                withUnsafeBytes(of: generator.next() as UInt64) { word in
                    for offset in 0..<8 { bytes[index + offset] = word[offset] }
                }
            }
            let input = ImportInput(name: "garbage.bin", data: Data(bytes))
            let detected = await #expect(throws: PipsightError.self) { try await store.ingest(input) }
            #expect(detected?.code == .unknownFormat)
            #expect(detected?.location?.file == "garbage.bin")
            let forced = await #expect(throws: PipsightError.self) { try await store.ingest(input, format: .eventsJSON) }
            #expect(forced?.location?.file == "garbage.bin")
            let stored = try await Self.count(store, "backtests")
            #expect(stored == 0)
        }
    }

    @Test("an empty file is refused with its name")
    func emptyFile() async throws {
        try await TestDatabase.withStore { store, _ in
            let error = await #expect(throws: PipsightError.self) {
                try await store.ingest(ImportInput(name: "empty.csv", data: Data()))
            }
            #expect(error?.code == .emptyInput)
            #expect(error?.location?.file == "empty.csv")
        }
    }

    struct InjectedFailure: Error {}

    @Test("a failure in the middle of COPY rolls the whole file back, and a retry succeeds")
    func failureMidCopy() async throws {
        try await TestDatabase.withStore { store, _ in
            var failing = store
            failing.afterFirstCopyChunk = { throw InjectedFailure() }
            let input = try Fixtures.realEvents()
            await #expect(throws: (any Error).self) { try await failing.ingest(input) }
            #expect(try await Self.count(store, "backtests") == 0)
            #expect(try await Self.count(store, "events") == 0)
            #expect(try await Self.count(store, "trades") == 0)
            let retry = try await store.ingest(input)
            guard case .ingested(let backtest) = retry else {
                Issue.record("the retry should store the file, got \(retry)")
                return
            }
            #expect(backtest.events == Fixtures.RealEvents.events)
        }
    }

    @Test("ingest runs record their counts and failures")
    func ingestRuns() async throws {
        try await TestDatabase.withStore { store, _ in
            let run = try await store.startRun(filesTotal: 2)
            var totals = IngestRunTotals()
            totals.filesTotal = 2
            totals.filesIngested = 1
            totals.filesFailed = 1
            totals.failures = [IngestFailure(file: "x.csv", error: PipsightError(.malformedCSV, "bad", location: ErrorLocation(file: "x.csv", line: 3)))]
            try await store.finishRun(run, totals: totals, seconds: 1.5)
            let rows = try await store.client.query(
                "SELECT status, files_failed, errors->0->'location'->>'line' FROM ingest_runs WHERE id = \(run)", logger: store.logger)
            for try await (status, failed, line) in rows.decode((String, Int, String?).self) {
                #expect(status == "partial")
                #expect(failed == 1)
                #expect(line == "3")
            }
        }
    }
}
