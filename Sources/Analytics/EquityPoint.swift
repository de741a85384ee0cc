import Foundation

/// The balance after one closed trade (after its last closing deal).
public struct EquityPoint: Codable, Sendable, Hashable {
    /// 0-based position of the trade in close-time order.
    public var index: Int
    public var positionId: String
    public var time: Date
    /// Net profit of the trade.
    public var netProfit: Decimal
    /// Balance after the trade: starting balance (0 when unknown) plus the cumulative net profit.
    public var balance: Decimal
    /// Fall of `balance` below the highest balance so far (zero or positive).
    public var drawdown: Decimal

    public init(index: Int, positionId: String, time: Date, netProfit: Decimal, balance: Decimal, drawdown: Decimal) {
        self.index = index
        self.positionId = positionId
        self.time = time
        self.netProfit = netProfit
        self.balance = balance
        self.drawdown = drawdown
    }
}

/// One UTC calendar day of the equity curve.
public struct DailyEquityPoint: Codable, Sendable, Hashable {
    /// `YYYY-MM-DD` (UTC).
    public var date: String
    /// Trades closed that day.
    public var tradeCount: Int
    public var netProfit: Decimal
    /// Balance at the end of the day.
    public var balance: Decimal
    /// `netProfit` over the balance at the start of the day; nil when that balance is not positive.
    public var dailyReturn: Double?

    public init(date: String, tradeCount: Int, netProfit: Decimal, balance: Decimal, dailyReturn: Double?) {
        self.date = date
        self.tradeCount = tradeCount
        self.netProfit = netProfit
        self.balance = balance
        self.dailyReturn = dailyReturn
    }
}

/// One period below a balance peak: from the peak, to the lowest point, to the first balance back at or
/// above the peak (nil while not recovered).
public struct DrawdownPeriod: Codable, Sendable, Hashable {
    /// When the peak balance was reached (the trade's close time; the first open time for the start).
    public var start: Date
    public var trough: Date
    public var recovery: Date?
    public var peakBalance: Decimal
    public var troughBalance: Decimal
    /// `peakBalance − troughBalance`.
    public var depth: Decimal
    /// Depth over the peak in percent; nil when the peak is not positive.
    public var depthPercent: Double?

    public init(
        start: Date, trough: Date, recovery: Date?, peakBalance: Decimal, troughBalance: Decimal,
        depthPercent: Double?
    ) {
        self.start = start
        self.trough = trough
        self.recovery = recovery
        self.peakBalance = peakBalance
        self.troughBalance = troughBalance
        depth = peakBalance - troughBalance
        self.depthPercent = depthPercent
    }
}

/// The whole equity picture of a backtest: per trade, per day, and the drawdown periods.
public struct EquityCurve: Codable, Sendable, Hashable {
    public var startingBalance: Decimal?
    public var points: [EquityPoint]
    public var daily: [DailyEquityPoint]
    public var drawdowns: [DrawdownPeriod]

    public init(startingBalance: Decimal?, points: [EquityPoint], daily: [DailyEquityPoint], drawdowns: [DrawdownPeriod]) {
        self.startingBalance = startingBalance
        self.points = points
        self.daily = daily
        self.drawdowns = drawdowns
    }
}
