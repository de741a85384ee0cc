import Foundation

/// Trade statistics of one side of a backtest: all trades, longs only or shorts only.
///
/// A trade is a winner when its net profit is above zero and a loser when below; a trade at exactly zero
/// is neither (it counts in `tradeCount` only and breaks both consecutive runs). See docs/analytics.md.
public struct DirectionStatistics: Codable, Sendable, Hashable {
    public var tradeCount: Int
    public var winningTrades: Int
    public var losingTrades: Int
    /// Sum of net profit.
    public var netProfit: Decimal
    /// Sum of the net profit of the winners (zero or positive).
    public var grossProfit: Decimal
    /// Sum of the net profit of the losers (zero or negative).
    public var grossLoss: Decimal
    /// Sum of commissions as exported (negative when charged).
    public var commissions: Decimal
    /// Sum of swaps.
    public var swaps: Decimal
    /// Winners over all trades; nil without trades.
    public var winRate: Double?
    /// `grossProfit / -grossLoss`; nil when there is no loser (see `profitFactorInfinite`).
    public var profitFactor: Double?
    /// True when there are winners but no loser: the profit factor is infinite (JSON cannot say so).
    public var profitFactorInfinite: Bool
    /// Mean net profit of the winners; nil without winners.
    public var averageWin: Decimal?
    /// Mean net profit of the losers (negative); nil without losers.
    public var averageLoss: Decimal?
    /// Net profit of the best winner; zero without winners (as cTrader reports it).
    public var largestWin: Decimal
    /// Net profit of the worst loser (negative); zero without losers.
    public var largestLoss: Decimal
    /// Mean net profit per trade; nil without trades.
    public var averageTrade: Decimal?
    /// `winRate × averageWin + (1 − winRate) × averageLoss` over decided trades; equals the mean net profit
    /// per trade when no trade is at exactly zero. Nil without trades.
    public var expectancy: Decimal?
    public var maxConsecutiveWins: Int
    public var maxConsecutiveLosses: Int
    /// Mean of close time minus open time, in seconds; nil without trades.
    public var averageHoldingSeconds: Double?

    public init(
        tradeCount: Int = 0, winningTrades: Int = 0, losingTrades: Int = 0, netProfit: Decimal = 0,
        grossProfit: Decimal = 0, grossLoss: Decimal = 0, commissions: Decimal = 0, swaps: Decimal = 0,
        winRate: Double? = nil, profitFactor: Double? = nil, profitFactorInfinite: Bool = false,
        averageWin: Decimal? = nil, averageLoss: Decimal? = nil, largestWin: Decimal = 0, largestLoss: Decimal = 0,
        averageTrade: Decimal? = nil, expectancy: Decimal? = nil, maxConsecutiveWins: Int = 0,
        maxConsecutiveLosses: Int = 0, averageHoldingSeconds: Double? = nil
    ) {
        self.tradeCount = tradeCount
        self.winningTrades = winningTrades
        self.losingTrades = losingTrades
        self.netProfit = netProfit
        self.grossProfit = grossProfit
        self.grossLoss = grossLoss
        self.commissions = commissions
        self.swaps = swaps
        self.winRate = winRate
        self.profitFactor = profitFactor
        self.profitFactorInfinite = profitFactorInfinite
        self.averageWin = averageWin
        self.averageLoss = averageLoss
        self.largestWin = largestWin
        self.largestLoss = largestLoss
        self.averageTrade = averageTrade
        self.expectancy = expectancy
        self.maxConsecutiveWins = maxConsecutiveWins
        self.maxConsecutiveLosses = maxConsecutiveLosses
        self.averageHoldingSeconds = averageHoldingSeconds
    }

    /// Statistics from per-side totals: rates, profit factor and means are derived here, so the Swift and
    /// SQL computations share one definition.
    public static func fromTotals(
        tradeCount: Int, winningTrades: Int, losingTrades: Int, netProfit: Decimal, grossProfit: Decimal,
        grossLoss: Decimal, commissions: Decimal, swaps: Decimal, largestWin: Decimal, largestLoss: Decimal,
        maxConsecutiveWins: Int, maxConsecutiveLosses: Int, averageHoldingSeconds: Double?
    ) -> DirectionStatistics {
        let factor = ProfitFactor.of(grossProfit: grossProfit, grossLoss: grossLoss)
        let average = Money.mean(netProfit, tradeCount)
        return DirectionStatistics(
            tradeCount: tradeCount, winningTrades: winningTrades, losingTrades: losingTrades, netProfit: netProfit,
            grossProfit: grossProfit, grossLoss: grossLoss, commissions: commissions, swaps: swaps,
            winRate: tradeCount > 0 ? Double(winningTrades) / Double(tradeCount) : nil, profitFactor: factor.value,
            profitFactorInfinite: factor.infinite, averageWin: Money.mean(grossProfit, winningTrades),
            averageLoss: Money.mean(grossLoss, losingTrades), largestWin: largestWin, largestLoss: largestLoss,
            averageTrade: average, expectancy: average, maxConsecutiveWins: maxConsecutiveWins,
            maxConsecutiveLosses: maxConsecutiveLosses, averageHoldingSeconds: tradeCount > 0 ? averageHoldingSeconds : nil)
    }

    /// The profit factor as a trader reads it: `1.85`, `∞` (no losers) or `–` (no winners and no losers).
    public var profitFactorText: String {
        ProfitFactor.text(profitFactor, infinite: profitFactorInfinite)
    }
}
