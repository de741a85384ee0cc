import Foundation
import PipsightCore

/// A stored backtest as listed by `pipsight backtests` and `GET /v1/backtests`.
public struct BacktestSummary: Sendable, Hashable, Codable {
    public var id: UUID
    public var sourceName: String
    public var sourceSHA256: String
    public var format: String
    public var symbol: String?
    public var period: String?
    public var cBotName: String?
    public var depositAsset: String?
    public var startingCapital: Decimal?
    public var testingStart: Date?
    public var testingEnd: Date?
    public var tradeCount: Int
    public var eventCount: Int
    public var parameterCount: Int
    public var passCount: Int
    /// Sum of the trades' net profit (nil when the backtest has no trades).
    public var netProfit: Decimal?
    public var winningTrades: Int
    public var firstTradeOpen: Date?
    public var lastTradeClose: Date?
    public var createdAt: Date

    /// Winners over trades, nil without trades.
    public var winRate: Double? {
        tradeCount > 0 ? Double(winningTrades) / Double(tradeCount) : nil
    }
}

/// One stored backtest in full: its summary, header as ingested, and parameters.
public struct BacktestDetail: Sendable, Hashable, Codable {
    public var summary: BacktestSummary
    public var reportedStatistics: JSONValue?
    public var extra: JSONValue
    public var parameters: [Parameter]
}
