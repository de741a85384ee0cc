import Foundation

/// One backtest or optimisation pass in a side-by-side comparison. Figures an export does not give
/// (a pass has no Sharpe ratio) are nil.
public struct ComparisonEntry: Codable, Sendable, Hashable {
    /// Where the drawdown percent used by the fitness comes from.
    public enum DrawdownSource: String, Codable, Sendable {
        /// Computed from the export's equity readings (events.json).
        case equity
        /// The export's own `maxEquityDrawdownPercent` (report.json `equity`, `.optres` pass).
        case reportedEquity = "reported_equity"
        /// No equity available: the balance drawdown stands in.
        case balance
    }

    /// The backtest id, with `#passId` for a pass.
    public var id: String
    public var backtestID: UUID
    public var passId: Int64?
    /// The file name, with the pass number for a pass.
    public var label: String
    public var tradeCount: Int?
    public var winningTrades: Int?
    public var netProfit: Decimal?
    public var winRate: Double?
    public var profitFactor: Double?
    public var profitFactorInfinite: Bool
    public var averageTrade: Decimal?
    /// Max drawdown in account currency (equity when known, else balance).
    public var maxDrawdown: Decimal?
    /// Max drawdown in percent of its peak, from `drawdownSource`.
    public var maxDrawdownPercent: Double?
    public var drawdownSource: DrawdownSource?
    public var sharpeRatio: Double?
    public var sortinoRatio: Double?
    public var recoveryFactor: Double?
    /// cTrader's default fitness; nil when net profit, winners or the drawdown percent is unknown.
    public var fitness: Double?
    /// 1-based place after `Comparison.rank`; entries without the metric come last, unranked.
    public var rank: Int?

    public init(id: String, backtestID: UUID, passId: Int64? = nil, label: String) {
        self.id = id
        self.backtestID = backtestID
        self.passId = passId
        self.label = label
        profitFactorInfinite = false
    }

    /// The value ranked by `metric` (infinite profit factor as `.infinity`, for sorting only).
    public func value(of metric: RankingMetric) -> Double? {
        let money = { (value: Decimal?) in value.map { NSDecimalNumber(decimal: $0).doubleValue } }
        switch metric {
        case .fitness: return fitness
        case .netProfit: return money(netProfit)
        case .profitFactor: return profitFactorInfinite ? .infinity : profitFactor
        case .winRate: return winRate
        case .winningTrades: return winningTrades.map(Double.init)
        case .tradeCount: return tradeCount.map(Double.init)
        case .averageTrade: return money(averageTrade)
        case .maxDrawdownPercent: return maxDrawdownPercent
        case .maxDrawdown: return money(maxDrawdown)
        case .sharpeRatio: return sharpeRatio
        case .sortinoRatio: return sortinoRatio
        case .recoveryFactor: return recoveryFactor
        }
    }
}
