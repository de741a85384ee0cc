import Foundation

/// The kind of an `events.json` event; names Pipsight does not know are kept as `.other`.
public enum PositionEventKind: Sendable, Hashable, Codable {
    case createPosition
    case positionModified
    case stopLossHit
    case takeProfitHit
    case positionClosed
    case createStopOrder
    case stopOrderFilled
    case orderCancelled
    case other(String)

    /// Maps cTrader's event names (`Create Position`, `Position Modified (S/L)`, …).
    public init(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "create position": self = .createPosition
        case "stop loss hit": self = .stopLossHit
        case "take profit hit": self = .takeProfitHit
        case "position closed": self = .positionClosed
        case "create stop order": self = .createStopOrder
        case "stop order filled": self = .stopOrderFilled
        case "order cancelled", "order canceled": self = .orderCancelled
        default:
            self = lower.hasPrefix("position modified") ? .positionModified : .other(name)
        }
    }

    /// True for the events that open a position.
    public var opensPosition: Bool { self == .createPosition || self == .stopOrderFilled }
    /// True for the events that close a position.
    public var closesPosition: Bool { self == .stopLossHit || self == .takeProfitHit || self == .positionClosed }
}

/// One row of `events.json`, kept whole (the S/L and T/P history lives here).
public struct PositionEvent: Sendable, Hashable, Codable {
    public var serial: Int64
    public var positionId: String?
    public var orderId: String?
    /// The event name as written by cTrader.
    public var name: String
    public var time: Date
    public var volume: Decimal?
    public var quantity: Decimal?
    public var direction: TradeDirection?
    public var entryPrice: Decimal?
    public var takeProfit: Decimal?
    public var stopLoss: Decimal?
    public var closePrice: Decimal?
    public var grossProfit: Decimal?
    public var pips: Decimal?
    public var balance: Decimal?
    public var equity: Decimal?
    public var extra: [String: JSONValue]

    public var kind: PositionEventKind { PositionEventKind(name: name) }

    public init(
        serial: Int64, positionId: String? = nil, orderId: String? = nil, name: String, time: Date,
        volume: Decimal? = nil, quantity: Decimal? = nil, direction: TradeDirection? = nil,
        entryPrice: Decimal? = nil, takeProfit: Decimal? = nil, stopLoss: Decimal? = nil,
        closePrice: Decimal? = nil, grossProfit: Decimal? = nil, pips: Decimal? = nil,
        balance: Decimal? = nil, equity: Decimal? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.serial = serial
        self.positionId = positionId
        self.orderId = orderId
        self.name = name
        self.time = time
        self.volume = volume
        self.quantity = quantity
        self.direction = direction
        self.entryPrice = entryPrice
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
        self.closePrice = closePrice
        self.grossProfit = grossProfit
        self.pips = pips
        self.balance = balance
        self.equity = equity
        self.extra = extra
    }
}
