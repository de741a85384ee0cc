import Foundation

/// What a comparison ranks by. Higher is better except for the drawdowns, where lower is better.
public enum RankingMetric: String, CaseIterable, Codable, Sendable {
    /// cTrader's default optimisation fitness: `netProfit × winningTrades / (1 + maxEquityDrawdownPercent / 100)`.
    case fitness
    case netProfit
    case profitFactor
    case winRate
    case winningTrades
    case tradeCount
    case averageTrade
    case maxDrawdownPercent
    case maxDrawdown
    case sharpeRatio
    case sortinoRatio
    case recoveryFactor

    /// True when a smaller value ranks first.
    public var lowerIsBetter: Bool { self == .maxDrawdownPercent || self == .maxDrawdown }
}
