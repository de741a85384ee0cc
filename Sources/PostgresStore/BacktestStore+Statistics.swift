import Analytics
import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Statistics of a stored backtest computed in PostgreSQL; nil when there is no such backtest.
    public func statistics(backtestID: UUID) async throws -> BacktestStatistics? {
        guard let startingBalance = try await startingCapital(backtestID: backtestID) else { return nil }
        // First version: computed in Swift from the stored trades; the SQL version replaces it.
        return TradeAnalytics.statistics(of: try await trades(backtestID: backtestID), startingBalance: startingBalance)
    }

    /// Trades of a stored backtest grouped by `dimension`, computed in PostgreSQL.
    public func breakdown(backtestID: UUID, by dimension: BreakdownDimension, timeZone: TimeZone) async throws -> [BreakdownRow] {
        TradeAnalytics.breakdown(of: try await trades(backtestID: backtestID), by: dimension, timeZone: timeZone)
    }

    /// The equity curve of a stored backtest (per trade, daily, drawdown periods); nil when there is no such backtest.
    public func equityCurve(backtestID: UUID) async throws -> EquityCurve? {
        guard let startingBalance = try await startingCapital(backtestID: backtestID) else { return nil }
        return TradeAnalytics.fullEquityCurve(of: try await trades(backtestID: backtestID), startingBalance: startingBalance)
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
}
