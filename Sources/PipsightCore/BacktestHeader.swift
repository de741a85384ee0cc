import Foundation

/// Everything an export says about the run as a whole (not per trade).
public struct BacktestHeader: Sendable, Hashable, Codable {
    public var format: ExportFormat
    public var symbol: String?
    /// Bar period as cTrader writes it (`m1`, `h1`…).
    public var period: String?
    public var cBotName: String?
    public var broker: String?
    /// Account currency (`depositAsset`, History header currency).
    public var depositAsset: String?
    public var accountType: String?
    public var leverage: Decimal?
    public var startingCapital: Decimal?
    public var endingBalance: Decimal?
    public var endingEquity: Decimal?
    public var netProfit: Decimal?
    public var testingStart: Date?
    public var testingEnd: Date?
    /// Offset of the export's local times from UTC, in seconds (History header `(UTC+4)`).
    public var utcOffsetSeconds: Int?
    /// cTrader's own statistics (`tradeStatistics`, `equity` of a report; `.optres` settings), kept whole.
    public var reportedStatistics: JSONValue?
    /// Top-level keys not modelled.
    public var extra: [String: JSONValue]

    public init(
        format: ExportFormat, symbol: String? = nil, period: String? = nil, cBotName: String? = nil,
        broker: String? = nil, depositAsset: String? = nil, accountType: String? = nil, leverage: Decimal? = nil,
        startingCapital: Decimal? = nil, endingBalance: Decimal? = nil, endingEquity: Decimal? = nil,
        netProfit: Decimal? = nil, testingStart: Date? = nil, testingEnd: Date? = nil,
        utcOffsetSeconds: Int? = nil, reportedStatistics: JSONValue? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.format = format
        self.symbol = symbol
        self.period = period
        self.cBotName = cBotName
        self.broker = broker
        self.depositAsset = depositAsset
        self.accountType = accountType
        self.leverage = leverage
        self.startingCapital = startingCapital
        self.endingBalance = endingBalance
        self.endingEquity = endingEquity
        self.netProfit = netProfit
        self.testingStart = testingStart
        self.testingEnd = testingEnd
        self.utcOffsetSeconds = utcOffsetSeconds
        self.reportedStatistics = reportedStatistics
        self.extra = extra
    }
}

/// One record a parser emits while it reads; the store turns each into rows as it arrives.
public enum ImportRecord: Sendable, Hashable {
    case trade(Trade)
    case event(PositionEvent)
    case parameter(Parameter)
    case pass(OptimisationPass)
}

/// A whole export in memory: the header and every record. Convenient for tests and small files.
public struct ParsedExport: Sendable, Hashable {
    public var header: BacktestHeader
    public var trades: [Trade] = []
    public var events: [PositionEvent] = []
    public var parameters: [Parameter] = []
    public var passes: [OptimisationPass] = []

    public init(header: BacktestHeader) {
        self.header = header
    }

    /// Adds one record to the matching list.
    public mutating func append(_ record: ImportRecord) {
        switch record {
        case .trade(let trade): trades.append(trade)
        case .event(let event): events.append(event)
        case .parameter(let parameter): parameters.append(parameter)
        case .pass(let pass): passes.append(pass)
        }
    }
}
