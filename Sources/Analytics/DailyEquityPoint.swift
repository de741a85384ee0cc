import Foundation

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
