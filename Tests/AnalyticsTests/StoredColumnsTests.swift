import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

/// The columns stored at ingest and the statistics from them, against the SQL passes over the same stored
/// rows: the same figures with columns and after they are removed (the path of backtests stored before them).
@Suite struct StoredColumnsTests {
    @Test func columnarAndSQLPathsAgree() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 41, trades: 600)
            let id = try await SQLAgreementTests.ingest(store, generator.write(.reportJSON), name: "report.json")
            let logger = Logger(label: "test")
            var stored = 0
            for try await count in try await store.client.query(
                "SELECT trade_count FROM trade_columns WHERE backtest_id = \(id)", logger: logger
            ).decode(Int.self) { stored = count }
            #expect(stored == 600)

            let columnar = try #require(try await store.statistics(backtestID: id))
            let sql = try #require(try await store.sqlStatistics(backtestID: id))
            StatisticsAgreement.expectSame(columnar, sql)
            #expect(columnar.all.netProfit == generator.groundTruth.netProfit)
            let zone = try #require(TimeZone(identifier: "America/New_York"))
            let fromColumns = try await store.breakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
            let fromSQL = try await store.sqlBreakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
            #expect(fromColumns == fromSQL)
            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [.hour], timeZone: zone))
            let sqlReport = try #require(try await store.sqlStatisticsReport(backtestID: id, breakdowns: [.hour], timeZone: zone))
            #expect(report.breakdowns == sqlReport.breakdowns)
            #expect(report.reconciliation.checked == sqlReport.reconciliation.checked)
            #expect(report.reconciliation.differences == sqlReport.reconciliation.differences)

            // Without the columns, the same figures come from SQL.
            try await store.client.query("DELETE FROM trade_columns WHERE backtest_id = \(id)", logger: logger)
            let fallback = try #require(try await store.statistics(backtestID: id))
            StatisticsAgreement.expectSame(fallback, sql)
            #expect(try await store.breakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone) == fromSQL)
        }
    }

    /// events.json: the equity drawdown still comes from the stored events.
    @Test func realEventsFromColumnsIncludeEquity() async throws {
        try await TestDatabase.withStore { store, _ in
            let data = try Data(contentsOf: AnalyticsTestSupport.realEventsURL)
            let id = try await SQLAgreementTests.ingest(store, data, name: "events.json")
            let columnar = try #require(try await store.statistics(backtestID: id))
            let sql = try #require(try await store.sqlStatistics(backtestID: id))
            #expect(columnar.maxEquityDrawdown != nil)
            StatisticsAgreement.expectSame(columnar, sql)
        }
    }
}

/// The reconciliation is stored by the first statistics report (`reconciliations`, `reconciliation_differences`).
/// Expected values come from the generator's ground truth and from the tables read with plain SQL.
@Suite struct ReconciliationStorageTests {
    struct StoredRow: Sendable, Equatable {
        var metric: String
        var reported: Double?
        var computed: Double?
        var difference: Double?
        var tolerance: Double
    }

    static func storedRows(_ store: BacktestStore, _ id: UUID) async throws -> (summary: (Int, Int)?, rows: [StoredRow]) {
        let logger = Logger(label: "test")
        var summary: (Int, Int)?
        for try await row in try await store.client.query(
            "SELECT checked, differing FROM reconciliations WHERE backtest_id = \(id)", logger: logger
        ).decode((Int, Int).self) { summary = row }
        var rows: [StoredRow] = []
        for try await (metric, reported, computed, difference, tolerance) in try await store.client.query(
            """
            SELECT metric, reported, computed, difference, tolerance FROM reconciliation_differences
            WHERE backtest_id = \(id) ORDER BY seq
            """, logger: logger
        ).decode((String, Double?, Double?, Double?, Double).self) {
            rows.append(StoredRow(metric: metric, reported: reported, computed: computed, difference: difference, tolerance: tolerance))
        }
        return (summary, rows)
    }

    /// The generated report.json with its `tradeStatistics.netProfit.all` raised by 1.00.
    static func reportWithWrongNetProfit(_ generator: SampleGenerator) throws -> (Data, Double) {
        var text = String(decoding: generator.write(.reportJSON), as: UTF8.self)
        let marker = "\"netProfit\": {\"all\": "
        let start = try #require(text.range(of: marker))
        let end = try #require(text.range(of: ",", range: start.upperBound..<text.endIndex))
        let reported = try #require(Double(text[start.upperBound..<end.lowerBound]))
        let truth = NSDecimalNumber(decimal: generator.groundTruth.netProfit).doubleValue
        #expect(abs(reported - truth) < 0.001)
        text.replaceSubrange(start.upperBound..<end.lowerBound, with: String(format: "%.2f", truth + 1))
        return (Data(text.utf8), truth)
    }

    @Test func aDisagreeingReportStoresTheDifference() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 42, trades: 250)
            let (data, truth) = try Self.reportWithWrongNetProfit(generator)
            let id = try await SQLAgreementTests.ingest(store, data, name: "report.json")
            #expect(try await Self.storedRows(store, id).summary == nil)

            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let stored = try await Self.storedRows(store, id)
            // 38 figures of tradeStatistics and equity, and one balance per trade.
            #expect(stored.summary?.0 == 38 + 250)
            #expect(stored.summary?.1 == 1)
            #expect(stored.rows.count == 1)
            let row = try #require(stored.rows.first)
            #expect(row.metric == "tradeStatistics.netProfit.all")
            #expect(abs((row.reported ?? 0) - (truth + 1)) < 1e-9)
            #expect(abs((row.computed ?? 0) - truth) < 1e-9)
            #expect(abs((row.difference ?? 0) - -1) < 1e-6)
            #expect(row.tolerance == 0.005)
            #expect(report.reconciliation.differing == 1)
            let firstCheck = try #require(report.reconciliation.checkedAt)

            // A second report finds the same outcome and keeps the stored one.
            let again = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            #expect(again.reconciliation.checkedAt == firstCheck)
            #expect(try await Self.storedRows(store, id).rows == stored.rows)
            // So does the SQL version of the report.
            let sql = try #require(try await store.sqlStatisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            #expect(sql.reconciliation.checkedAt == firstCheck)
        }
    }

    @Test func generatedGroundTruthStoresNoDifference() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 43, trades: 300)
            let id = try await SQLAgreementTests.ingest(store, generator.write(.reportJSON), name: "report.json")
            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            #expect(report.statistics.all.netProfit == generator.groundTruth.netProfit)
            let stored = try await Self.storedRows(store, id)
            #expect(stored.summary?.0 == 38 + 300)
            #expect(stored.summary?.1 == 0)
            #expect(stored.rows.isEmpty)
            #expect(report.reconciliation.checkedAt != nil)
        }
    }

    @Test func realEventsStoreNoDifference() async throws {
        try await TestDatabase.withStore { store, _ in
            let data = try Data(contentsOf: AnalyticsTestSupport.realEventsURL)
            let id = try await SQLAgreementTests.ingest(store, data, name: "events.json")
            _ = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let stored = try await Self.storedRows(store, id)
            // One check per closed position's exported balance (698 in this file).
            #expect(stored.summary?.0 == 698)
            #expect(stored.summary?.1 == 0)
            #expect(stored.rows.isEmpty)
        }
    }
}
