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

            // Trades 10 and 250 in close order get 5.00 more than the running balance. The trade columns are
            // the ingest's copy of the rows, so they go too: this is the SQL path.
            let altered = [trades[10], trades[250]]
            let positions = altered.map(\.positionId)
            try await store.client.query(
                "UPDATE trades SET balance = balance + 5 WHERE backtest_id = \(id) AND position_id = ANY(\(positions))",
                logger: Logger(label: "test"))
            try await store.client.query("DELETE FROM trade_columns WHERE backtest_id = \(id)", logger: Logger(label: "test"))
            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let listed = balanceChecks(report)
            #expect(listed.map(\.metric) == positions.map { "trades[position \($0)].balance" })
            for (check, trade) in zip(listed, altered) {
                let exported = try #require(trade.balance).doubleValue
                #expect(abs((check.reported ?? 0) - (exported + 5)) < 1e-6)
                #expect(abs((check.computed ?? 0) - exported) < 1e-6)
            }
            #expect(report.reconciliation.checked == clean.reconciliation.checked)
            StatisticsAgreement.expectSame(report.statistics, clean.statistics)
        }
    }

    /// The same from the trade columns: an export whose history has two balances 5.00 above the running
    /// balance (edited in the report.json text) lists exactly those, named by position.
    @Test func alteredExportedBalancesAreListedFromColumns() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 24, trades: 300)
            let single = generator.pipsightTrades().filter { $0.deals.count <= 1 }
            let altered = [single[20], single[200]]
            var lines = String(decoding: generator.write(.reportJSON), as: UTF8.self).components(separatedBy: "\n")
            for trade in altered {
                let index = try #require(lines.firstIndex { $0.contains("{\"id\": \(trade.positionId), ") })
                let marker = try #require(lines[index].range(of: "\"balance\": "))
                let end = try #require(lines[index].range(of: "}", range: marker.upperBound..<lines[index].endIndex))
                let balance = try #require(Decimal(string: String(lines[index][marker.upperBound..<end.lowerBound])))
                lines[index].replaceSubrange(marker.upperBound..<end.lowerBound, with: "\(balance + 5)")
            }
            let id = try await SQLAgreementTests.ingest(store, Data(lines.joined(separator: "\n").utf8), name: "report.json")
            let report = try #require(try await store.statisticsReport(backtestID: id, breakdowns: [], timeZone: .gmt))
            let listed = report.reconciliation.differences.filter { $0.metric.hasPrefix("trades[") }
            let stored = try await store.trades(backtestID: id)
            let expected = stored.filter { trade in altered.contains { $0.positionId == trade.positionId } }
            #expect(listed.map(\.metric) == expected.map { "trades[position \($0.positionId)].balance" })
            for (check, trade) in zip(listed, expected) {
                let exported = try #require(trade.balance).doubleValue
                #expect(abs((check.reported ?? 0) - exported) < 1e-6)
                #expect(abs((check.computed ?? 0) - (exported - 5)) < 1e-6)
                #expect(abs((check.difference ?? 0) - -5) < 1e-6)
            }
            #expect(report.reconciliation.differing == 2)
        }
    }
}
