import Foundation
import PipsightCore

/// Metrics of trades held in memory. The same figures come from PostgreSQL for stored backtests
/// (`BacktestStore.statistics(backtestID:)`); a test keeps the two in agreement. Formulas: docs/analytics.md.
public enum TradeAnalytics {
    /// Overall, long and short statistics plus account-level drawdowns, ratios and exposure.
    /// `startingBalance` nil: derived from the first trade's exported balance when it has one.
    public static func statistics(of trades: [Trade], startingBalance: Decimal?) -> BacktestStatistics {
        StatisticsCalculator(trades: trades, startingBalance: startingBalance).statistics()
    }

    /// Statistics with the equity drawdown read from equity samples (events.json), in time order.
    public static func statistics(
        of trades: [Trade], startingBalance: Decimal?, equity: [EquitySample]
    ) -> BacktestStatistics {
        var result = statistics(of: trades, startingBalance: startingBalance)
        if let drawdown = EquitySample.maxDrawdown(equity, startingBalance: result.startingBalance) {
            result.maxEquityDrawdown = drawdown.amount
            result.maxEquityDrawdownPercent = drawdown.percent
        }
        return result
    }

    /// Trades grouped by `dimension`, one row per non-empty group, sorted by key.
    public static func breakdown(of trades: [Trade], by dimension: BreakdownDimension, timeZone: TimeZone) -> [BreakdownRow] {
        Breakdown.rows(of: trades, by: dimension, timeZone: timeZone)
    }

    /// The balance after each closed trade, in close-time order.
    public static func equityCurve(of trades: [Trade], startingBalance: Decimal?) -> [EquityPoint] {
        EquitySeries(trades: trades, startingBalance: startingBalance).points()
    }

    /// Per-trade points, the daily series and the drawdown periods.
    public static func fullEquityCurve(of trades: [Trade], startingBalance: Decimal?) -> EquityCurve {
        let series = EquitySeries(trades: trades, startingBalance: startingBalance)
        return EquityCurve(
            startingBalance: series.startingBalance, points: series.points(), daily: series.daily(),
            drawdowns: series.drawdownPeriods())
    }
}
