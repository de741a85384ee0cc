import Foundation

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
