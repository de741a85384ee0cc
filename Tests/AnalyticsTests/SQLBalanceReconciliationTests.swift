import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

/// The balance reconciliation of `statisticsReport`, whose counts come from the runs' ordered pass: a
/// clean backtest checks every trade's balance with no difference; altering two stored balances makes
/// exactly those two trades differ, by the amount added.
@Suite struct SQLBalanceReconciliationTests {
    @Test func alteredBalancesAreListed() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 23, trades: 400)
            let id = try await SQLAgreementTests.ingest(store, generator.write(.reportJSON), name: "report.json")
            let trades = try await store.trades(backtestID: id)
            let clean = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let balanceChecks = { (report: StatisticsReport) in
                report.reconciliation.differences.filter { $0.metric.hasPrefix("trades[") }
            }
            #expect(balanceChecks(clean).isEmpty)
            #expect(clean.reconciliation.checked >= trades.count)

            // Trades 10 and 250 in close order get 5.00 more than the running balance.
            let altered = [trades[10], trades[250]]
            let positions = altered.map(\.positionId)
            try await store.client.query(
                "UPDATE trades SET balance = balance + 5 WHERE backtest_id = \(id) AND position_id = ANY(\(positions))",
                logger: Logger(label: "test"))
            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let listed = balanceChecks(report)
            #expect(listed.map(\.metric) == positions.map { "trades[position \($0)].balance" })
            for (check, trade) in zip(listed, altered) {
                let exported = try #require(trade.balance).doubleValue
                #expect(abs((check.reported ?? 0) - (exported + 5)) < 1e-6)
                #expect(abs((check.computed ?? 0) - exported) < 1e-6)
            }
            #expect(report.reconciliation.checked == clean.reconciliation.checked)
            #expect(report.statistics == clean.statistics)
        }
    }
}
