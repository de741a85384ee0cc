import Foundation

/// One group of a breakdown: its key (stable, sortable), a label for people, and the group's figures.
public struct BreakdownRow: Codable, Sendable, Hashable {
    /// `1`…`7` (ISO weekday, Monday = 1), `00`…`23`, `2024-03`, the symbol, `buy`/`sell`, a holding bucket
    /// key (`0-1m` … `1w+`), or a close reason (`stop_loss`, `take_profit`, `manual`, `unknown`).
    public var key: String
    public var label: String
    public var tradeCount: Int
    public var winningTrades: Int
    public var losingTrades: Int
    public var netProfit: Decimal
    public var grossProfit: Decimal
    public var grossLoss: Decimal
    /// Winners over trades; nil without trades.
    public var winRate: Double?
    /// Nil when there is no loser; then `profitFactorInfinite` says whether it is infinite.
    public var profitFactor: Double?
    public var profitFactorInfinite: Bool

    public init(
        key: String, label: String, tradeCount: Int, winningTrades: Int, losingTrades: Int, netProfit: Decimal,
        grossProfit: Decimal, grossLoss: Decimal
    ) {
        self.key = key
        self.label = label
        self.tradeCount = tradeCount
        self.winningTrades = winningTrades
        self.losingTrades = losingTrades
        self.netProfit = netProfit
        self.grossProfit = grossProfit
        self.grossLoss = grossLoss
        winRate = tradeCount > 0 ? Double(winningTrades) / Double(tradeCount) : nil
        (profitFactor, profitFactorInfinite) = ProfitFactor.of(grossProfit: grossProfit, grossLoss: grossLoss)
    }

    /// `1.85`, `∞` or `–`.
    public var profitFactorText: String {
        ProfitFactor.text(profitFactor, infinite: profitFactorInfinite)
    }
}
