import Analytics
import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Computed statistics against the export's own: report.json's `tradeStatistics` and `equity` (kept in
    /// `backtests.reported_statistics`) and every trade's exported balance against the running balance
    /// (computed in PostgreSQL). Differences beyond rounding are listed (balances: the first 100).
    public func reconciliation(backtestID: UUID, statistics: BacktestStatistics) async throws -> ReconciliationReport {
        try await database("reconciling backtest \(backtestID)") {
            var reported: JSONValue?
            let rows = try await client.query(
                "SELECT reported_statistics::text FROM backtests WHERE id = \(backtestID)", logger: logger)
            for try await text in rows.decode(String?.self) {
                reported = try text.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            }
            let figures = Reconciliation.compare(reported: reported, with: statistics)
            guard let start = statistics.startingBalance else { return figures }
            return figures.merged(with: try await balanceReconciliation(backtestID: backtestID, startingBalance: start))
        }
    }

    private func balanceReconciliation(backtestID: UUID, startingBalance: Decimal) async throws -> ReconciliationReport {
        let tolerance = Reconciliation.moneyTolerance
        let rows = try await client.query(
            """
            WITH running AS (
                SELECT position_id, balance, close_time, seq,
                       \(startingBalance)::numeric
                       + sum(COALESCE(net_profit, 0)) OVER (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING) AS computed
                FROM trades WHERE backtest_id = \(backtestID)
            ), checked AS (
                SELECT position_id, balance, computed, close_time, seq,
                       count(*) OVER () AS total, abs(balance - computed) > \(tolerance)::numeric AS differs
                FROM running WHERE balance IS NOT NULL
            )
            SELECT total::integer, position_id, balance::float8, computed::float8, differs FROM checked
            WHERE differs OR seq = (SELECT min(seq) FROM checked)
            ORDER BY close_time, seq LIMIT 101
            """, logger: logger)
        var total = 0
        var differences: [ReconciliationCheck] = []
        for try await (count, position, balance, computed, differs) in rows.decode((Int, String, Double, Double, Bool).self) {
            total = count
            guard differs, differences.count < 100 else { continue }
            differences.append(ReconciliationCheck(
                metric: "trades[position \(position)].balance", reported: balance, computed: computed, tolerance: tolerance))
        }
        return ReconciliationReport(checked: total, differences: differences)
    }

    /// Statistics, the requested breakdowns and the reconciliation of one stored backtest; nil when there
    /// is no such backtest.
    public func statisticsReport(
        backtestID: UUID, breakdowns dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> StatisticsReport? {
        guard let statistics = try await statistics(backtestID: backtestID) else { return nil }
        let rows = try await breakdowns(backtestID: backtestID, by: dimensions, timeZone: timeZone)
        return StatisticsReport(
            backtestID: backtestID, timeZone: timeZone.identifier, statistics: statistics,
            breakdowns: Dictionary(uniqueKeysWithValues: rows.map { ($0.key.rawValue, $0.value) }),
            reconciliation: try await reconciliation(backtestID: backtestID, statistics: statistics))
    }
}
