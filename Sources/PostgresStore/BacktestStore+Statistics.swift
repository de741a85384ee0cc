import Analytics
import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Statistics of a stored backtest, aggregated in PostgreSQL (same definitions as
    /// `TradeAnalytics.statistics`, see docs/analytics.md); nil when there is no such backtest. The equity
    /// drawdown comes from the stored events' `equity` (events.json) and is nil without them.
    /// Computed from the columns stored at ingest when the backtest has them, else by the SQL passes.
    public func statistics(backtestID: UUID) async throws -> BacktestStatistics? {
        guard let inputs = try await statisticsInputs(backtestID: backtestID) else { return nil }
        if let result = try await columnarStatistics(backtestID: backtestID, inputs: inputs, breakdowns: [], timeZone: .gmt) {
            return result.statistics
        }
        return try await sqlStatistics(backtestID: backtestID)
    }

    /// The statistics by the SQL passes alone (backtests without stored columns; tests compare both).
    public func sqlStatistics(backtestID: UUID) async throws -> BacktestStatistics? {
        guard let startingBalance = try await startingBalance(backtestID: backtestID) else { return nil }
        return try await statistics(backtestID: backtestID, startingBalance: startingBalance)
    }

    /// The statistics for a known starting balance. The independent passes (runs, per-side totals,
    /// balance drawdown, equity drawdown, daily series, exposure) run at the same time, each in its own
    /// read-only transaction on a pooled connection, so PostgreSQL works on them on several cores.
    func statistics(backtestID: UUID, startingBalance: Decimal?) async throws -> BacktestStatistics {
        try await statisticsPasses(backtestID: backtestID, startingBalance: startingBalance).statistics
    }

    /// The statistics and the balance reconciliation's counts, which come from the runs' ordered pass.
    func statisticsPasses(
        backtestID: UUID, startingBalance: Decimal?
    ) async throws -> (statistics: BacktestStatistics, balances: BalanceCheck?) {
        let doing = "computing the statistics of backtest \(backtestID)"
        async let runs = analyticsTransaction(doing) { db in
            try await consecutiveRuns(on: db, backtestID: backtestID, startingBalance: startingBalance)
        }
        async let totals = analyticsTransaction(doing) { db in
            try await sideTotals(on: db, backtestID: backtestID)
        }
        async let balanceFall = analyticsTransaction(doing) { db in
            try await balanceDrawdown(on: db, backtestID: backtestID, startingBalance: startingBalance)
        }
        async let equityFall = analyticsTransaction(doing) { db in
            try await equityDrawdown(on: db, backtestID: backtestID, startingBalance: startingBalance)
        }
        async let ratiosOfDays = analyticsTransaction(doing) { db in
            try await dailyRatios(on: db, backtestID: backtestID, startingBalance: startingBalance)
        }
        async let exposureSpan = analyticsTransaction(doing) { db in
            try await self.exposure(on: db, backtestID: backtestID)
        }
        let ordered = try await runs
        var result = Self.sideStatistics(totals: try await totals, runs: ordered.runs)
        result.startingBalance = startingBalance
        result.endingBalance = startingBalance.map { $0 + result.all.netProfit }
        let balance = try await balanceFall
        result.maxBalanceDrawdown = balance.amount
        result.maxBalanceDrawdownPercent = balance.percent
        if balance.amount > 0 {
            result.recoveryFactor = NSDecimalNumber(decimal: result.all.netProfit).doubleValue
                / NSDecimalNumber(decimal: balance.amount).doubleValue
        }
        if let equity = try await equityFall {
            result.maxEquityDrawdown = equity.amount
            result.maxEquityDrawdownPercent = equity.percent
        }
        let ratios = try await ratiosOfDays
        result.dayCount = ratios.days
        result.sharpeRatio = ratios.sharpe
        result.sortinoRatio = ratios.sortino
        let exposure = try await exposureSpan
        result.exposureSeconds = exposure.seconds
        result.firstOpenTime = exposure.firstOpen
        result.lastCloseTime = exposure.lastClose
        if let first = exposure.firstOpen, let last = exposure.lastClose, last > first {
            result.exposureFraction = exposure.seconds / last.timeIntervalSince(first)
        }
        return (result, ordered.balances)
    }

    /// `.some(starting balance)` for an existing backtest (the inner value nil when neither the export nor
    /// a closed trade gives one), nil when there is no such backtest.
    func startingBalance(backtestID: UUID) async throws -> Decimal?? {
        guard let capital = try await startingCapital(backtestID: backtestID) else { return nil }
        if let capital { return .some(capital) }
        let balance = try await analyticsTransaction("reading the starting balance of backtest \(backtestID)") { db in
            try await derivedStartingBalance(on: db, backtestID: backtestID, capital: nil)
        }
        return .some(balance)
    }

    /// Trades of a stored backtest grouped by `dimension`, aggregated in PostgreSQL.
    public func breakdown(backtestID: UUID, by dimension: BreakdownDimension, timeZone: TimeZone) async throws -> [BreakdownRow] {
        try await breakdowns(backtestID: backtestID, by: [dimension], timeZone: timeZone)[dimension] ?? []
    }

    /// The equity curve of a stored backtest (per trade, daily, drawdown periods); nil when there is no
    /// such backtest. The per-trade running balance is computed in PostgreSQL.
    public func equityCurve(backtestID: UUID) async throws -> EquityCurve? {
        guard let capital = try await startingCapital(backtestID: backtestID) else { return nil }
        return try await analyticsTransaction("reading the equity curve of backtest \(backtestID)") { db in
            let startingBalance = try await derivedStartingBalance(on: db, backtestID: backtestID, capital: capital)
            let points = try await equityPoints(on: db, backtestID: backtestID, startingBalance: startingBalance)
            let daily = try await dailySeries(on: db, backtestID: backtestID, startingBalance: startingBalance)
            let firstOpen = try await exposure(on: db, backtestID: backtestID).firstOpen
            return EquityCurve(
                startingBalance: startingBalance, points: points, daily: daily,
                drawdowns: DrawdownPeriods.periods(of: points, startingBalance: startingBalance, firstOpen: firstOpen))
        }
    }

    /// `.some(starting_capital)` for an existing backtest (the inner value nil when the export has none), nil otherwise.
    func startingCapital(backtestID: UUID) async throws -> Decimal?? {
        try await database("reading backtest \(backtestID)") {
            let rows = try await client.query(
                "SELECT starting_capital FROM backtests WHERE id = \(backtestID)", logger: logger)
            for try await capital in rows.decode(Decimal?.self) { return .some(capital) }
            return nil
        }
    }

    /// The stored starting capital, else the first closed trade's balance less its net profit.
    func derivedStartingBalance(on db: PostgresConnection, backtestID: UUID, capital: Decimal?) async throws -> Decimal? {
        if let capital { return capital }
        let rows = try await db.query(
            """
            SELECT balance - COALESCE(net_profit, 0) FROM trades WHERE backtest_id = \(backtestID)
            ORDER BY close_time, seq LIMIT 1
            """, logger: logger)
        for try await balance in rows.decode(Decimal?.self) { return balance }
        return nil
    }

    /// Runs `body` in a read-only transaction with `work_mem` raised for its sorts and windows (a million
    /// trades sort in memory instead of spilling to disk); the setting ends with the transaction.
    func analyticsTransaction<T: Sendable>(
        _ doing: String, _ body: @Sendable @escaping (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await database(doing) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL work_mem = '256MB'", logger: logger)
                try await connection.query("SET TRANSACTION READ ONLY", logger: logger)
                return try await body(connection)
            }
        }
    }
}
