import Foundation

/// What a generated backtest contains, computed from the generated trades themselves (in `Decimal`, from
/// integer cents), never by parsing a written file. Tests compare parser output with it.
///
/// Weekday and hour keys use the open time in UTC: weekdays are `"Monday"` … `"Sunday"`, hours `"00"` … `"23"`.
/// A trade is a winner when its net profit is above zero and a loser when below.
public struct GroundTruth: Codable, Sendable, Hashable {
    public var tradeCount = 0
    /// Closing deals: one per trade plus one per partial close.
    public var dealCount = 0
    public var longTrades = 0
    public var shortTrades = 0
    public var winningTrades = 0
    public var losingTrades = 0
    /// Trades closed in several deals.
    public var partiallyClosedTrades = 0
    /// `Position Modified (S/L)` events.
    public var stopLossModifications = 0
    /// Trades per close reason (`CloseReason.rawValue`).
    public var closeReasons: [String: Int] = [:]
    public var startingCapital: Decimal = 0
    public var netProfit: Decimal = 0
    public var grossProfit: Decimal = 0
    /// Sum of commissions (negative).
    public var commissions: Decimal = 0
    /// Sum of swaps.
    public var swaps: Decimal = 0
    /// Net profit of the best trade (0 when there is no winner).
    public var largestWin: Decimal = 0
    /// Net profit of the worst trade (negative; 0 when there is no loser).
    public var largestLoss: Decimal = 0
    public var finalBalance: Decimal = 0
    public var netByWeekday: [String: Decimal] = [:]
    public var tradesByWeekday: [String: Int] = [:]
    public var netByOpenHour: [String: Decimal] = [:]
    /// Largest fall of the balance from a previous peak.
    public var maxBalanceDrawdown: Decimal = 0
    /// Largest fall of the (modelled) equity from a previous peak.
    public var maxEquityDrawdown: Decimal = 0
    public var firstOpenTime: Date?
    public var lastCloseTime: Date?
    /// Longest run of consecutive winning trades (in close order; a break-even trade ends a run).
    public var maxConsecutiveWins = 0
    /// Longest run of consecutive losing trades.
    public var maxConsecutiveLosses = 0
    /// Position id of the trade with the largest net profit (the first one on a tie).
    public var largestWinPositionId: String?
    /// Position id of the trade with the largest net loss (the first one on a tie).
    public var largestLossPositionId: String?
    /// Close time of the deal that set the balance peak before the largest balance drawdown
    /// (nil when the peak is the starting balance).
    public var maxBalanceDrawdownPeakTime: Date?
    /// Close time of the deal at the bottom of the largest balance drawdown.
    public var maxBalanceDrawdownTroughTime: Date?
    /// Net profit per calendar month of the close time (when the profit was realised) in UTC, keys `"2024-03"`.
    public var netByMonth: [String: Decimal] = [:]

    public init() {}
}
