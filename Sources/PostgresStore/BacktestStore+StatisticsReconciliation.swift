import Analytics
import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Computed statistics against the export's own: report.json's `tradeStatistics` and `equity` (kept in
    /// `backtests.reported_statistics`) and every trade's exported balance against the running balance
    /// (computed in PostgreSQL). Differences beyond rounding are listed (balances: the first 100).
    public func reconciliation(backtestID: UUID, statistics: BacktestStatistics) async throws -> ReconciliationReport {
        let figures = try await reportedFigures(backtestID: backtestID, statistics: statistics)
        guard let balances = try await balanceReconciliation(
            backtestID: backtestID, startingBalance: statistics.startingBalance) else { return figures }
        return figures.merged(with: balances)
    }

    /// The figures of report.json (`backtests.reported_statistics`) compared with `statistics`.
    private func reportedFigures(backtestID: UUID, statistics: BacktestStatistics) async throws -> ReconciliationReport {
        try await database("reconciling backtest \(backtestID)") {
            var reported: JSONValue?
            let rows = try await client.query(
                "SELECT reported_statistics::text FROM backtests WHERE id = \(backtestID)", logger: logger)
            for try await text in rows.decode(String?.self) {
                reported = try text.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
            }
            return Reconciliation.compare(reported: reported, with: statistics)
        }
    }

    /// One ordered pass counts the checked and the differing balances; only when some differ does a
    /// second pass list the first 100.
    private func balanceReconciliation(backtestID: UUID, startingBalance: Decimal?) async throws -> ReconciliationReport? {
        guard let startingBalance else { return nil }
        return try await analyticsTransaction("reconciling the balances of backtest \(backtestID)") { db in
            try await balanceReconciliation(on: db, backtestID: backtestID, startingBalance: startingBalance)
        }
    }

    private func balanceReconciliation(
        on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal
    ) async throws -> ReconciliationReport {
        let tolerance = Reconciliation.moneyTolerance
        var checked = 0
        var differing = 0
        let counts = try await db.query(
            """
            SELECT count(balance)::integer,
                   (count(*) FILTER (WHERE abs(balance - \(startingBalance)::numeric - cumulative) > \(tolerance)::numeric))::integer
            FROM (
                SELECT balance, sum(COALESCE(net_profit, 0)) OVER (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING) AS cumulative
                FROM trades WHERE backtest_id = \(backtestID)
            ) running
            """, logger: logger)
        for try await (total, different) in counts.decode((Int, Int).self) {
            checked = total
            differing = different
        }
        guard differing > 0 else { return ReconciliationReport(checked: checked, differences: []) }
        return ReconciliationReport(
            checked: checked, differences: try await balanceDifferences(on: db, backtestID: backtestID, startingBalance: startingBalance),
            differing: differing)
    }

    /// The first 100 exported balances that differ from the starting balance plus the running net profit.
    private func balanceDifferences(
        on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal
    ) async throws -> [ReconciliationCheck] {
        let tolerance = Reconciliation.moneyTolerance
        var differences: [ReconciliationCheck] = []
        let rows = try await db.query(
            """
            SELECT position_id, balance::float8, (\(startingBalance)::numeric + cumulative)::float8
            FROM (
                SELECT position_id, balance, close_time, seq,
                       sum(COALESCE(net_profit, 0)) OVER (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING) AS cumulative
                FROM trades WHERE backtest_id = \(backtestID)
            ) running
            WHERE abs(balance - \(startingBalance)::numeric - cumulative) > \(tolerance)::numeric
            ORDER BY close_time, seq LIMIT 100
            """, logger: logger)
        for try await (position, balance, computed) in rows.decode((String, Double, Double).self) {
            differences.append(ReconciliationCheck(
                metric: "trades[position \(position)].balance", reported: balance, computed: computed, tolerance: tolerance))
        }
        return differences
    }

    /// Statistics, the requested breakdowns and the reconciliation of one stored backtest; nil when there
    /// is no such backtest. The statistics' passes and the breakdowns run at the same time on pooled
    /// connections; the balance reconciliation's counts come from the runs' ordered pass, and only when
    /// some balance differs does a further pass list the differences.
    ///
    /// With columns stored at ingest, everything but the equity drawdown comes from one pass over them
    /// (`ColumnarStatistics`); without, from the SQL passes (`sqlStatisticsReport`).
    public func statisticsReport(
        backtestID: UUID, breakdowns dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> StatisticsReport? {
        guard let inputs = try await statisticsInputs(backtestID: backtestID) else { return nil }
        // The same zone names are accepted whichever engine answers: those PostgreSQL knows (a 400 otherwise).
        if !dimensions.isEmpty { _ = try await postgresTimeZone(timeZone) }
        guard let result = try await columnarStatistics(
            backtestID: backtestID, inputs: inputs, breakdowns: dimensions, timeZone: timeZone)
        else { return try await sqlStatisticsReport(backtestID: backtestID, breakdowns: dimensions, timeZone: timeZone) }
        var reconciliation = Reconciliation.compare(reported: inputs.reportedStatistics, with: result.statistics)
        if let balances = try await balanceReconciliation(backtestID: backtestID, result: result) {
            reconciliation = reconciliation.merged(with: balances)
        }
        reconciliation = try await recordReconciliation(backtestID: backtestID, reconciliation)
        return StatisticsReport(
            backtestID: backtestID, timeZone: timeZone.identifier, statistics: result.statistics,
            breakdowns: Dictionary(uniqueKeysWithValues: result.breakdowns.map { ($0.key.rawValue, $0.value) }),
            reconciliation: reconciliation)
    }

    /// The report by the SQL passes alone.
    public func sqlStatisticsReport(
        backtestID: UUID, breakdowns dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> StatisticsReport? {
        guard let startingBalance = try await startingBalance(backtestID: backtestID) else { return nil }
        async let computed = statisticsPasses(backtestID: backtestID, startingBalance: startingBalance)
        async let grouped = sqlBreakdowns(backtestID: backtestID, by: dimensions, timeZone: timeZone)
        let (statistics, check) = try await computed
        var reconciliation = try await reportedFigures(backtestID: backtestID, statistics: statistics)
        if let start = startingBalance, let check {
            var differences: [ReconciliationCheck] = []
            if check.differing > 0 {
                differences = try await analyticsTransaction("reconciling the balances of backtest \(backtestID)") { db in
                    try await balanceDifferences(on: db, backtestID: backtestID, startingBalance: start)
                }
            }
            reconciliation = reconciliation.merged(
                with: ReconciliationReport(checked: check.checked, differences: differences, differing: check.differing))
        }
        let rows = try await grouped
        reconciliation = try await recordReconciliation(backtestID: backtestID, reconciliation)
        return StatisticsReport(
            backtestID: backtestID, timeZone: timeZone.identifier, statistics: statistics,
            breakdowns: Dictionary(uniqueKeysWithValues: rows.map { ($0.key.rawValue, $0.value) }),
            reconciliation: reconciliation)
    }
}
