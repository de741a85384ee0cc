import Foundation

/// A cBot parameter: its value (`.cbotset`, report) and, for an optimisation, its range.
public struct Parameter: Sendable, Hashable, Codable {
    public var name: String
    /// The value as text, as cTrader writes it.
    public var value: String?
    public var optimize: Bool?
    public var min: String?
    public var max: String?
    public var step: String?
    /// Discrete values for an enum or bool parameter in an optimisation.
    public var values: [String]?
    public var friendlyName: String?
    public var groupName: String?
    public var extra: [String: JSONValue]

    public init(
        name: String, value: String? = nil, optimize: Bool? = nil, min: String? = nil, max: String? = nil,
        step: String? = nil, values: [String]? = nil, friendlyName: String? = nil, groupName: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.value = value
        self.optimize = optimize
        self.min = min
        self.max = max
        self.step = step
        self.values = values
        self.friendlyName = friendlyName
        self.groupName = groupName
        self.extra = extra
    }
}

/// One pass of an optimisation (`.optres` `results.passes[]`).
public struct OptimisationPass: Sendable, Hashable, Codable {
    public var passId: Int64
    public var status: String?
    public var equity: Decimal?
    public var netProfit: Decimal?
    public var trades: Int64?
    public var winningTrades: Int64?
    public var profitFactor: Double?
    public var averageTrade: Decimal?
    public var maxEquityDrawdownAbsolute: Decimal?
    /// A fraction (0.12 = 12 %), as `.optres` writes it.
    public var maxEquityDrawdownFraction: Double?
    /// Parameter values of the pass where the file gives them.
    public var parameters: [String: String]
    /// The pass as written, whole.
    public var raw: JSONValue

    public init(
        passId: Int64, status: String? = nil, equity: Decimal? = nil, netProfit: Decimal? = nil,
        trades: Int64? = nil, winningTrades: Int64? = nil, profitFactor: Double? = nil,
        averageTrade: Decimal? = nil, maxEquityDrawdownAbsolute: Decimal? = nil,
        maxEquityDrawdownFraction: Double? = nil, parameters: [String: String] = [:], raw: JSONValue = .null
    ) {
        self.passId = passId
        self.status = status
        self.equity = equity
        self.netProfit = netProfit
        self.trades = trades
        self.winningTrades = winningTrades
        self.profitFactor = profitFactor
        self.averageTrade = averageTrade
        self.maxEquityDrawdownAbsolute = maxEquityDrawdownAbsolute
        self.maxEquityDrawdownFraction = maxEquityDrawdownFraction
        self.parameters = parameters
        self.raw = raw
    }
}
