import Foundation

/// Long (buy) or short (sell).
public enum TradeDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case buy
    case sell

    /// Reads `Buy`, `buy`, `BUY`, `long`, `sell`, `Sell`, `short`.
    public init?(text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "buy", "long": self = .buy
        case "sell", "short": self = .sell
        default: return nil
        }
    }
}

/// Why a position was closed.
public enum CloseReason: String, Sendable, Hashable, Codable, CaseIterable {
    case stopLoss = "stop_loss"
    case takeProfit = "take_profit"
    case manual
    case unknown
}

/// One closed position: the unit of every metric. Money is `Decimal`.
public struct Trade: Sendable, Hashable, Codable {
    /// The position id from the export (`positionId`, `ID`, history `id`).
    public var positionId: String
    public var symbol: String?
    public var label: String?
    public var direction: TradeDirection
    public var openTime: Date
    public var closeTime: Date
    public var entryPrice: Decimal?
    public var closePrice: Decimal?
    /// Volume in units.
    public var volume: Decimal?
    /// Quantity in lots.
    public var quantity: Decimal?
    public var grossProfit: Decimal?
    public var netProfit: Decimal?
    public var commissions: Decimal?
    public var swaps: Decimal?
    public var pips: Decimal?
    /// Account balance after the close, when the export gives it.
    public var balance: Decimal?
    /// The first stop-loss price set on the position, if any.
    public var initialStopLoss: Decimal?
    /// The first take-profit price set on the position, if any.
    public var initialTakeProfit: Decimal?
    /// The stop-loss price in force when the position closed.
    public var finalStopLoss: Decimal?
    /// The take-profit price in force when the position closed.
    public var finalTakeProfit: Decimal?
    public var closeReason: CloseReason
    /// The closing deals; more than one for a partial close.
    public var deals: [Deal]
    /// Keys and columns of the export that Pipsight does not model.
    public var extra: [String: JSONValue]

    public init(
        positionId: String, symbol: String? = nil, label: String? = nil, direction: TradeDirection,
        openTime: Date, closeTime: Date, entryPrice: Decimal? = nil, closePrice: Decimal? = nil,
        volume: Decimal? = nil, quantity: Decimal? = nil, grossProfit: Decimal? = nil, netProfit: Decimal? = nil,
        commissions: Decimal? = nil, swaps: Decimal? = nil, pips: Decimal? = nil, balance: Decimal? = nil,
        initialStopLoss: Decimal? = nil, initialTakeProfit: Decimal? = nil,
        finalStopLoss: Decimal? = nil, finalTakeProfit: Decimal? = nil,
        closeReason: CloseReason = .unknown, deals: [Deal] = [], extra: [String: JSONValue] = [:]
    ) {
        self.positionId = positionId
        self.symbol = symbol
        self.label = label
        self.direction = direction
        self.openTime = openTime
        self.closeTime = closeTime
        self.entryPrice = entryPrice
        self.closePrice = closePrice
        self.volume = volume
        self.quantity = quantity
        self.grossProfit = grossProfit
        self.netProfit = netProfit
        self.commissions = commissions
        self.swaps = swaps
        self.pips = pips
        self.balance = balance
        self.initialStopLoss = initialStopLoss
        self.initialTakeProfit = initialTakeProfit
        self.finalStopLoss = finalStopLoss
        self.finalTakeProfit = finalTakeProfit
        self.closeReason = closeReason
        self.deals = deals
        self.extra = extra
    }
}

/// One closing deal of a position (report `history` item, History CSV row).
public struct Deal: Sendable, Hashable, Codable {
    public var dealId: String
    public var closeTime: Date
    public var closePrice: Decimal?
    public var volume: Decimal?
    public var quantity: Decimal?
    public var grossProfit: Decimal?
    public var netProfit: Decimal?
    public var commissions: Decimal?
    public var swaps: Decimal?
    public var pips: Decimal?
    public var balance: Decimal?

    public init(
        dealId: String, closeTime: Date, closePrice: Decimal? = nil, volume: Decimal? = nil,
        quantity: Decimal? = nil, grossProfit: Decimal? = nil, netProfit: Decimal? = nil,
        commissions: Decimal? = nil, swaps: Decimal? = nil, pips: Decimal? = nil, balance: Decimal? = nil
    ) {
        self.dealId = dealId
        self.closeTime = closeTime
        self.closePrice = closePrice
        self.volume = volume
        self.quantity = quantity
        self.grossProfit = grossProfit
        self.netProfit = netProfit
        self.commissions = commissions
        self.swaps = swaps
        self.pips = pips
        self.balance = balance
    }
}
