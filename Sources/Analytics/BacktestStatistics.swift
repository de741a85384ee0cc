import Foundation

/// Every metric of one backtest: per side, and for the account as a whole (drawdowns, ratios, exposure).
/// Formulas are in docs/analytics.md.
public struct BacktestStatistics: Codable, Sendable, Hashable {
    public var all: DirectionStatistics
    public var long: DirectionStatistics
    public var short: DirectionStatistics
    /// Balance before the first trade: the given starting balance, else the first trade's exported balance
    /// minus its net profit; nil when neither is known.
    public var startingBalance: Decimal?
    /// `startingBalance + netProfit`; nil when the starting balance is unknown.
    public var endingBalance: Decimal?
    /// Largest fall of the balance (after every closing deal) below an earlier peak, starting balance included.
    public var maxBalanceDrawdown: Decimal
    /// That fall over the peak it fell from, in percent; nil when the starting balance is unknown.
    public var maxBalanceDrawdownPercent: Double?
    /// Largest fall of the equity below an earlier peak, where the data has equity (events); else nil.
    public var maxEquityDrawdown: Decimal?
    /// In percent of the peak; nil when unknown.
    public var maxEquityDrawdownPercent: Double?
    /// `netProfit / maxBalanceDrawdown`; nil when there is no drawdown.
    public var recoveryFactor: Double?
    /// Annualised Sharpe ratio of daily returns (√365, risk-free rate 0); nil with fewer than two days or
    /// no variation.
    public var sharpeRatio: Double?
    /// Annualised Sortino ratio of daily returns (√365, target 0); nil with fewer than two days or no
    /// losing day.
    public var sortinoRatio: Double?
    /// Number of UTC calendar days in the daily return series.
    public var dayCount: Int
    /// Seconds in which at least one position was open (overlaps counted once).
    public var exposureSeconds: Double
    /// `exposureSeconds` over the time from the first open to the last close; nil without trades.
    public var exposureFraction: Double?
    public var firstOpenTime: Date?
    public var lastCloseTime: Date?

    public init(
        all: DirectionStatistics = .init(), long: DirectionStatistics = .init(), short: DirectionStatistics = .init(),
        startingBalance: Decimal? = nil, endingBalance: Decimal? = nil, maxBalanceDrawdown: Decimal = 0,
        maxBalanceDrawdownPercent: Double? = nil, maxEquityDrawdown: Decimal? = nil,
        maxEquityDrawdownPercent: Double? = nil, recoveryFactor: Double? = nil, sharpeRatio: Double? = nil,
        sortinoRatio: Double? = nil, dayCount: Int = 0, exposureSeconds: Double = 0, exposureFraction: Double? = nil,
        firstOpenTime: Date? = nil, lastCloseTime: Date? = nil
    ) {
        self.all = all
        self.long = long
        self.short = short
        self.startingBalance = startingBalance
        self.endingBalance = endingBalance
        self.maxBalanceDrawdown = maxBalanceDrawdown
        self.maxBalanceDrawdownPercent = maxBalanceDrawdownPercent
        self.maxEquityDrawdown = maxEquityDrawdown
        self.maxEquityDrawdownPercent = maxEquityDrawdownPercent
        self.recoveryFactor = recoveryFactor
        self.sharpeRatio = sharpeRatio
        self.sortinoRatio = sortinoRatio
        self.dayCount = dayCount
        self.exposureSeconds = exposureSeconds
        self.exposureFraction = exposureFraction
        self.firstOpenTime = firstOpenTime
        self.lastCloseTime = lastCloseTime
    }
}
