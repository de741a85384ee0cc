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
