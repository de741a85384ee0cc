import Foundation
import PipsightCore

/// Side-by-side comparison of backtests and optimisation passes, and ranking by a chosen metric.
public enum Comparison {
    /// cTrader's default optimisation fitness (docs/ctrader-formats.md):
    /// `netProfit × winningTrades / (1 + maxEquityDrawdownPercent / 100)`.
    public static func fitness(netProfit: Decimal, winningTrades: Int, maxEquityDrawdownPercent: Double) -> Double {
        NSDecimalNumber(decimal: netProfit).doubleValue * Double(winningTrades) / (1 + maxEquityDrawdownPercent / 100)
    }

    /// An entry for a backtest from its statistics and the export's reported statistics (for cTrader's own
    /// equity drawdown percent when Pipsight has no equity readings).
    public static func entry(
        backtestID: UUID, label: String, statistics: BacktestStatistics, reportedStatistics: JSONValue?
    ) -> ComparisonEntry {
        var entry = ComparisonEntry(id: backtestID.uuidString.lowercased(), backtestID: backtestID, label: label)
        let all = statistics.all
        entry.tradeCount = all.tradeCount
        entry.winningTrades = all.winningTrades
        entry.netProfit = all.netProfit
        entry.winRate = all.winRate
        entry.profitFactor = all.profitFactor
        entry.profitFactorInfinite = all.profitFactorInfinite
        entry.averageTrade = all.averageTrade
        entry.sharpeRatio = statistics.sharpeRatio
        entry.sortinoRatio = statistics.sortinoRatio
        entry.recoveryFactor = statistics.recoveryFactor
        let reported = reportedStatistics?.objectValue?["equity"]?.objectValue
        if let amount = statistics.maxEquityDrawdown {
            entry.maxDrawdown = amount
            entry.maxDrawdownPercent = statistics.maxEquityDrawdownPercent
            entry.drawdownSource = .equity
        } else if case .number(let percent)? = reported?["maxEquityDrawdownPercent"], percent.isFinite {
            entry.maxDrawdownPercent = percent
            if case .number(let amount)? = reported?["maxEquityDrawdownAbsolute"], amount.isFinite {
                entry.maxDrawdown = Decimal(string: String(amount))
            }
            entry.drawdownSource = .reportedEquity
        } else {
            entry.maxDrawdown = statistics.maxBalanceDrawdown
            entry.maxDrawdownPercent = statistics.maxBalanceDrawdownPercent
            entry.drawdownSource = statistics.maxBalanceDrawdownPercent == nil ? nil : .balance
        }
        if let percent = entry.maxDrawdownPercent {
            entry.fitness = fitness(netProfit: all.netProfit, winningTrades: all.winningTrades, maxEquityDrawdownPercent: percent)
        }
        return entry
    }

    /// An entry for one optimisation pass (`.optres`: its drawdown percent is a fraction there).
    public static func entry(pass: OptimisationPass, backtestID: UUID, label: String) -> ComparisonEntry {
        var entry = ComparisonEntry(
            id: "\(backtestID.uuidString.lowercased())#\(pass.passId)", backtestID: backtestID, passId: pass.passId,
            label: "\(label) pass \(pass.passId)")
        entry.tradeCount = pass.trades.map(Int.init)
        entry.winningTrades = pass.winningTrades.map(Int.init)
        entry.netProfit = pass.netProfit
        if let trades = pass.trades, let winners = pass.winningTrades, trades > 0 {
            entry.winRate = Double(winners) / Double(trades)
        }
        entry.profitFactor = pass.profitFactor.flatMap { $0.isFinite ? $0 : nil }
        entry.profitFactorInfinite = pass.profitFactor == .infinity
        entry.averageTrade = pass.averageTrade
        entry.maxDrawdown = pass.maxEquityDrawdownAbsolute
        entry.maxDrawdownPercent = pass.maxEquityDrawdownFraction.map { $0 * 100 }
        entry.drawdownSource = entry.maxDrawdownPercent == nil ? nil : .reportedEquity
        if let net = pass.netProfit, let winners = entry.winningTrades, let percent = entry.maxDrawdownPercent {
            entry.fitness = fitness(netProfit: net, winningTrades: winners, maxEquityDrawdownPercent: percent)
        }
        return entry
    }

    /// Entries best first by `metric` (ties by id), each given its 1-based `rank`; entries without the
    /// metric follow, unranked.
    public static func rank(_ entries: [ComparisonEntry], by metric: RankingMetric) -> [ComparisonEntry] {
        let valued = entries.filter { $0.value(of: metric) != nil }.sorted { lhs, rhs in
            let a = lhs.value(of: metric) ?? 0
            let b = rhs.value(of: metric) ?? 0
            if a != b { return metric.lowerIsBetter ? a < b : a > b }
            return lhs.id < rhs.id
        }
        var ranked = valued.enumerated().map { index, entry in
            var copy = entry
            copy.rank = index + 1
            return copy
        }
        ranked += entries.filter { $0.value(of: metric) == nil }.sorted { $0.id < $1.id }.map { entry in
            var copy = entry
            copy.rank = nil
            return copy
        }
        return ranked
    }
}
