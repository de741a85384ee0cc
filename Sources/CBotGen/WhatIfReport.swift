import Analytics
import Foundation
import PipsightCore

/// What the spec's entry filters would have changed on the recorded trades: every metric of `TradeAnalytics`
/// for all trades and for the trades the filters keep, side by side; with a split date, once on the trades the
/// rules were found on (in-sample) and once on the later trades (out-of-sample).
public struct WhatIfReport: Codable, Sendable, Hashable {
    /// The warning every report carries: rules found on trades flatter those trades.
    public var caveat: String
    /// The filters applied (weekday, hour, direction), with their evidence.
    public var rulesApplied: [String]
    /// Rules of the cBot the recorded trades cannot replay (stops, holding limit, optimisation parameters).
    public var notSimulated: [String]
    public var splitDate: Date?
    /// The trades the rules were found on (all trades without a split date).
    public var inSample: WhatIfComparison
    /// The trades opened on or after the split date.
    public var outOfSample: WhatIfComparison?

    public static let inSampleCaveat =
        "In-sample: these rules were found on the same trades this report replays, so the improvement shown is "
        + "optimistic by construction. Only trades the rules were not found on can confirm them: use a split date "
        + "(find the rules on the first part, report on the rest), or another backtest period."

    /// Builds the report for `spec` on `trades`; `startingBalance` is the account balance before the first trade.
    public static func build(spec: StrategySpec, trades: [Trade], startingBalance: Decimal?, splitDate: Date?) -> WhatIfReport {
        let ordered = trades.sorted { ($0.closeTime, $0.openTime) < ($1.closeTime, $1.openTime) }
        let balance = startingBalance ?? ordered.first.flatMap { trade in trade.balance.map { $0 - trade.pipsightNet } }
        guard let splitDate else {
            return WhatIfReport(
                caveat: inSampleCaveat, rulesApplied: spec.filterDescriptions, notSimulated: spec.unsimulatedDescriptions,
                splitDate: nil, inSample: WhatIfComparison(name: "all trades (in-sample)", spec: spec, trades: ordered, startingBalance: balance),
                outOfSample: nil)
        }
        let before = ordered.filter { $0.openTime < splitDate }
        let after = ordered.filter { $0.openTime >= splitDate }
        let balanceAtSplit = balance.map { $0 + before.reduce(Decimal(0)) { $0 + $1.pipsightNet } }
        return WhatIfReport(
            caveat: inSampleCaveat, rulesApplied: spec.filterDescriptions, notSimulated: spec.unsimulatedDescriptions,
            splitDate: splitDate,
            inSample: WhatIfComparison(name: "trades opened before the split (in-sample)", spec: spec, trades: before, startingBalance: balance),
            outOfSample: WhatIfComparison(
                name: "trades opened on or after the split (out-of-sample)", spec: spec, trades: after, startingBalance: balanceAtSplit))
    }

    /// The report as JSON (sorted keys, ISO 8601 dates).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

/// All trades against the trades the filters keep, over one period.
public struct WhatIfComparison: Codable, Sendable, Hashable {
    public var name: String
    public var tradeCount: Int
    public var keptTrades: Int
    public var removedTrades: Int
    /// Net profit of the removed trades (negative: the filters removed losses).
    public var removedNetProfit: Decimal
    public var all: BacktestStatistics
    public var withRules: BacktestStatistics

    init(name: String, spec: StrategySpec, trades: [Trade], startingBalance: Decimal?) {
        let kept = trades.filter(spec.allows)
        self.name = name
        tradeCount = trades.count
        keptTrades = kept.count
        removedTrades = trades.count - kept.count
        removedNetProfit = trades.reduce(Decimal(0)) { $0 + $1.pipsightNet } - kept.reduce(Decimal(0)) { $0 + $1.pipsightNet }
        all = TradeAnalytics.statistics(of: trades, startingBalance: startingBalance)
        withRules = TradeAnalytics.statistics(of: kept, startingBalance: startingBalance)
    }
}
