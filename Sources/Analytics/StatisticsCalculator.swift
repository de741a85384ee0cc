import Foundation
import PipsightCore

/// Computes `BacktestStatistics` from trades in memory.
struct StatisticsCalculator {
    let trades: [ClosedTrade]
    let startingBalance: Decimal?

    init(trades: [Trade], startingBalance: Decimal?) {
        let ordered = ClosedTrade.ordered(trades)
        self.trades = ordered
        self.startingBalance = ClosedTrade.startingBalance(ordered, given: startingBalance)
    }

    func statistics() -> BacktestStatistics {
        var all = SideAccumulator()
        var long = SideAccumulator()
        var short = SideAccumulator()
        for closed in trades {
            all.add(closed)
            if closed.trade.direction == .buy { long.add(closed) } else { short.add(closed) }
        }
        var result = BacktestStatistics(all: all.statistics, long: long.statistics, short: short.statistics)
        result.startingBalance = startingBalance
        result.endingBalance = startingBalance.map { $0 + result.all.netProfit }
        let drawdown = maxBalanceDrawdown()
        result.maxBalanceDrawdown = drawdown.amount
        result.maxBalanceDrawdownPercent = drawdown.percent
        if drawdown.amount > 0 {
            result.recoveryFactor = Money.double(result.all.netProfit) / Money.double(drawdown.amount)
        }
        let series = EquitySeries(ordered: trades, startingBalance: startingBalance)
        let daily = series.daily()
        result.dayCount = daily.count
        let returns = daily.compactMap(\.dailyReturn)
        if returns.count == daily.count {
            result.sharpeRatio = DailyReturns.sharpe(returns)
            result.sortinoRatio = DailyReturns.sortino(returns)
        }
        let exposure = exposureSeconds()
        result.exposureSeconds = exposure
        result.firstOpenTime = trades.map(\.trade.openTime).min()
        result.lastCloseTime = trades.last?.trade.closeTime
        if let first = result.firstOpenTime, let last = result.lastCloseTime {
            let span = last.timeIntervalSince(first)
            result.exposureFraction = span > 0 ? exposure / span : nil
        }
        return result
    }

    /// Largest fall below an earlier peak over every balance change; the percent is of that peak
    /// (nil without a known, positive starting balance).
    private func maxBalanceDrawdown() -> (amount: Decimal, percent: Double?) {
        var balance = startingBalance ?? 0
        var peak = balance
        var worst: Decimal = 0
        var worstPercent: Double?
        for change in ClosedTrade.balanceChanges(trades) {
            balance += change.net
            peak = max(peak, balance)
            let fall = peak - balance
            if fall > worst {
                worst = fall
                worstPercent = startingBalance != nil && peak > 0 ? Money.double(fall) / Money.double(peak) * 100 : nil
            }
        }
        return (worst, worstPercent)
    }

    /// Union of the open intervals, in seconds.
    private func exposureSeconds() -> Double {
        let intervals = trades.map { ($0.trade.openTime, $0.trade.closeTime) }.sorted { $0.0 < $1.0 }
        var total = 0.0
        var current: (start: Date, end: Date)?
        for (open, close) in intervals {
            if let span = current, open <= span.end {
                current = (span.start, max(span.end, close))
            } else {
                if let span = current { total += span.end.timeIntervalSince(span.start) }
                current = (open, close)
            }
        }
        if let span = current { total += span.end.timeIntervalSince(span.start) }
        return total
    }
}
