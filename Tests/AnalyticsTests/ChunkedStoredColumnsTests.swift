import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

/// `trade_columns` stored in chunks (migration 7), with a small chunk size and nothing kept in memory (every
/// chunk, and the deals' COPY text, through the ingest's temporary file): the rows, the statistics against
/// the SQL path and the generator's ground truth, and a missing chunk.
@Suite struct ChunkedStoredColumnsTests {
    static let logger = Logger(label: "test")

    static func chunkedStore(_ store: BacktestStore) -> BacktestStore {
        var small = store
        small.tradeColumnsChunkSize = 64
        small.spillMemoryLimit = 0
        return small
    }

    @Test func chunkedColumnsAgreeWithSQL() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 44, trades: 600)
            let id = try await SQLAgreementTests.ingest(Self.chunkedStore(store), generator.write(.historyCSV), name: "history.csv")
            var chunks: [(Int, Int)] = []
            for try await row in try await store.client.query(
                "SELECT chunk, trade_count FROM trade_columns WHERE backtest_id = \(id) ORDER BY chunk", logger: Self.logger
            ).decode((Int, Int).self) { chunks.append(row) }
            // 600 trades in chunks of 64: nine full ones and 24 left over.
            #expect(chunks.map(\.0) == Array(0..<10))
            #expect(chunks.map(\.1) == Array(repeating: 64, count: 9) + [24])

            // The deals went through the temporary file too: one row per closing deal of each partial close.
            var deals = 0, partialDeals = 0
            for try await (stored, expected) in try await store.client.query(
                """
                SELECT (SELECT count(*)::integer FROM deals WHERE backtest_id = \(id)),
                       (SELECT COALESCE(sum(deal_count), 0)::integer FROM trades WHERE backtest_id = \(id) AND deal_count > 1)
                """, logger: Self.logger
            ).decode((Int, Int).self) { (deals, partialDeals) = (stored, expected) }
            #expect(generator.groundTruth.partiallyClosedTrades > 0)
            #expect(deals == 2 * generator.groundTruth.partiallyClosedTrades)
            #expect(deals == partialDeals)

            let columnar = try #require(try await store.statistics(backtestID: id))
            let sql = try #require(try await store.sqlStatistics(backtestID: id))
            StatisticsAgreement.expectSame(columnar, sql)
            #expect(columnar.all.netProfit == generator.groundTruth.netProfit)
            #expect(columnar.all.tradeCount == 600)
            let zone = try #require(TimeZone(identifier: "Europe/London"))
            let fromColumns = try await store.breakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
            let fromSQL = try await store.sqlBreakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
            #expect(fromColumns == fromSQL)

            // The answers' read of the columns joins the chunks too: every trade, net profit as in the truth.
            let read = try #require(try await store.tradeColumns(backtestID: id))
            #expect(read.count == 600)
            let readStatistics = try #require(ColumnarStatistics.compute(read, startingCapital: nil, breakdowns: [], timeZone: zone))
            #expect(readStatistics.statistics.all.netProfit == generator.groundTruth.netProfit)

            // A missing chunk is damage, not silently fewer trades.
            try await store.client.query("DELETE FROM trade_columns WHERE backtest_id = \(id) AND chunk = 3", logger: Self.logger)
            await #expect(throws: PipsightError.self) { try await store.statistics(backtestID: id) }
        }
    }
}
