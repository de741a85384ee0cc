import Analytics
import Foundation
import Logging
import PipsightCore
import PostgresStore

/// Turns a question's intents into `Fact`s computed from the stored backtests: statistics, breakdowns and
/// trade-level details (which trade, which dates) from the trade columns stored at ingest (one read per
/// backtest and question, `ColumnarStatistics` and `ColumnarTradeFacts`, position ids read for the trades a
/// fact names), else from SQL (`BacktestStore.statistics`, `.breakdown`) and the stored trades; parameter
/// effects from the optimisation passes. Never from retrieved text. The backtests of a question are worked on
/// concurrently (at most `concurrentBacktests` at a time).
public struct FactBuilder: Sendable {
    public var source: any FactSource
    public var logger: Logger
    /// Most backtests examined when the question names none (the newest).
    public var maxBacktests: Int
    /// Most backtests whose facts are computed at the same time.
    public var concurrentBacktests = 4
    /// Whether facts come from the stored trade columns when a backtest has them (true); false reads the SQL
    /// aggregates and the trade rows as before the columns existed (tests compare the two).
    public var usesStoredColumns = true

    public init(source: any FactSource, logger: Logger, maxBacktests: Int = 5) {
        self.source = source
        self.logger = logger
        self.maxBacktests = maxBacktests
    }

    /// Facts already computed, by backtest version, analysis and time range; nil or capacity 0: none kept.
    public var cache: LRUCache<FactCacheKey, [Fact]>?

    /// Facts for `analysis` over `backtestIDs` (every stored backtest, newest `maxBacktests`, when empty),
    /// restricted to trades closed inside `timeRange` when given. Ids are `F1`, `F2`, … in order.
    ///
    /// With a cache, each backtest's facts are kept under its `BacktestVersion` (`versions`, or read from the
    /// source when not given): a stored backtest never changes, so they stay exact until it is rewritten or
    /// deleted, when its version changes or disappears.
    public func facts(
        for analysis: QuestionAnalysis, backtestIDs: [UUID], timeRange: ClosedRange<Date>? = nil,
        versions: [BacktestVersion]? = nil
    ) async throws -> [Fact] {
        guard !analysis.intents.isEmpty else { return [] }
        var facts: [Fact] = []
        var versions = versions
        if let cache, cache.isEnabled, versions == nil { versions = try await source.backtestVersions(ids: backtestIDs) }
        if let cache, cache.isEnabled, var versions {
            if backtestIDs.isEmpty, versions.count > maxBacktests { versions = Array(versions.suffix(maxBacktests)) }
            let keys = versions.map { FactCacheKey(version: $0, analysis: analysis, timeRange: timeRange) }
            var found = keys.map { cache.value(forKey: $0) }
            let missing = versions.indices.filter { found[$0] == nil }
            if !missing.isEmpty {
                let backtests = try await source.factBacktests(ids: missing.map { versions[$0].id })
                let computed = try await self.facts(of: backtests, analysis: analysis, timeRange: timeRange)
                for (position, facts) in zip(missing, computed) {
                    cache.setValue(facts, forKey: keys[position])
                    found[position] = facts
                }
            }
            facts = found.flatMap { $0 ?? [] }
        } else {
            var backtests = try await source.factBacktests(ids: backtestIDs)
            if backtestIDs.isEmpty, backtests.count > maxBacktests { backtests = Array(backtests.suffix(maxBacktests)) }
            facts = try await self.facts(of: backtests, analysis: analysis, timeRange: timeRange).flatMap { $0 }
        }
        for index in facts.indices { facts[index].id = "F\(index + 1)" }
        logger.debug("facts", metadata: ["count": "\(facts.count)", "intents": "\(analysis.intents.map(\.rawValue))"])
        return facts
    }

    /// The facts of each backtest, in the backtests' order, computed at most `concurrentBacktests` at a time.
    func facts(
        of backtests: [BacktestSummary], analysis: QuestionAnalysis, timeRange: ClosedRange<Date>?
    ) async throws -> [[Fact]] {
        if backtests.count < 2 || concurrentBacktests < 2 {
            var results: [[Fact]] = []
            for backtest in backtests { results.append(try await facts(of: backtest, analysis: analysis, timeRange: timeRange)) }
            return results
        }
        return try await withThrowingTaskGroup(of: (Int, [Fact]).self) { group in
            var results = [[Fact]](repeating: [], count: backtests.count)
            for (index, backtest) in backtests.enumerated() {
                // At most `concurrentBacktests` at a time: wait for one before starting the next.
                if index >= concurrentBacktests, let (done, facts) = try await group.next() { results[done] = facts }
                group.addTask { (index, try await facts(of: backtest, analysis: analysis, timeRange: timeRange)) }
            }
            while let (done, facts) = try await group.next() { results[done] = facts }
            return results
        }
    }

    /// The facts of one backtest, in intent order, not yet numbered.
    func facts(
        of backtest: BacktestSummary, analysis: QuestionAnalysis, timeRange: ClosedRange<Date>?
    ) async throws -> [Fact] {
        var context = FactContext(
            backtest: backtest, source: source, timeRange: timeRange, usesColumns: usesStoredColumns,
            dimensions: FactContext.dimensions(of: analysis.intents))
        var facts: [Fact] = []
        for intent in analysis.intents {
            facts += try await context.facts(for: intent, analysis: analysis)
        }
        return facts
    }
}

/// The reads of one backtest, fetched once each and only when an intent needs them.
struct FactContext {
    let backtest: BacktestSummary
    let source: any FactSource
    let timeRange: ClosedRange<Date>?
    /// Whether the stored trade columns are read (only without a time range).
    let usesColumns: Bool
    /// The breakdowns the question's intents need, computed in the columns' one pass.
    let dimensions: [BreakdownDimension]
    private var cachedStatistics: BacktestStatistics??
    private var cachedRows: [BreakdownDimension: [BreakdownRow]] = [:]
    private var cachedTrades: [Trade]?
    private var cachedPasses: [OptimisationPass]?
    private var cachedColumns: ColumnarTradeFacts??
    private var cachedColumnar: ColumnarStatistics.Result??

    init(
        backtest: BacktestSummary, source: any FactSource, timeRange: ClosedRange<Date>?, usesColumns: Bool = true,
        dimensions: [BreakdownDimension] = []
    ) {
        self.backtest = backtest
        self.source = source
        self.timeRange = timeRange
        self.usesColumns = usesColumns
        self.dimensions = dimensions
    }

    /// The breakdown each intent reads, in `BreakdownDimension` order, without repeats.
    static func dimensions(of intents: [QuestionIntent]) -> [BreakdownDimension] {
        let needed = Set(intents.compactMap { intent -> BreakdownDimension? in
            switch intent {
            case .bestWeekday, .worstWeekday, .namedWeekday: .weekday
            case .bestHour, .worstHour, .namedHour: .hour
            case .bestMonth, .worstMonth, .namedMonth: .month
            case .bestSymbol, .worstSymbol: .symbol
            default: nil
            }
        })
        return BreakdownDimension.allCases.filter(needed.contains)
    }

    /// The stored trade columns (read once); nil with a time range, when switched off, or when the backtest has
    /// none.
    mutating func columns() async throws -> ColumnarTradeFacts? {
        guard usesColumns, timeRange == nil else { return nil }
        if let cachedColumns { return cachedColumns }
        let columns = try await source.tradeColumns(backtestID: id).map(ColumnarTradeFacts.init)
        cachedColumns = .some(columns)
        return columns
    }

    /// Statistics and the needed breakdowns of the stored columns in one pass (as `BacktestStore.statistics`
    /// and `.breakdowns` compute them, less the equity drawdown, which no fact reads); nil without columns or
    /// when they cannot hold the starting capital (the SQL versions answer then).
    mutating func columnar() async throws -> ColumnarStatistics.Result? {
        if let cachedColumnar { return cachedColumnar }
        var result: ColumnarStatistics.Result?
        if let columns = try await columns() {
            result = ColumnarStatistics.compute(
                columns.columns, startingCapital: backtest.startingCapital, breakdowns: dimensions, timeZone: utc)
        }
        cachedColumnar = .some(result)
        return result
    }

    var id: UUID { backtest.id }
    var utc: TimeZone { TimeZone(identifier: "UTC") ?? .current }
    /// Where the aggregate figures come from.
    var aggregateSource: String {
        timeRange == nil ? "SQL" : "TradeAnalytics over the stored trades closed in the requested period"
    }

    mutating func trades() async throws -> [Trade] {
        if let cachedTrades { return cachedTrades }
        var trades = try await source.trades(backtestID: id)
        if let timeRange { trades = trades.filter { timeRange.contains($0.closeTime) } }
        cachedTrades = trades
        return trades
    }

    mutating func statistics() async throws -> BacktestStatistics? {
        if let cachedStatistics { return cachedStatistics }
        let result: BacktestStatistics?
        if let columnar = try await columnar() {
            result = columnar.statistics
        } else if timeRange == nil {
            result = try await source.statistics(backtestID: id)
        } else {
            result = TradeAnalytics.statistics(of: try await trades(), startingBalance: backtest.startingCapital)
        }
        cachedStatistics = .some(result)
        return result
    }

    mutating func rows(_ dimension: BreakdownDimension) async throws -> [BreakdownRow] {
        if let rows = cachedRows[dimension] { return rows }
        let rows: [BreakdownRow]
        if dimensions.contains(dimension), let columnar = try await columnar() {
            rows = columnar.breakdowns[dimension] ?? []
        } else if timeRange == nil {
            rows = try await source.breakdown(backtestID: id, by: dimension, timeZone: utc)
        } else {
            rows = TradeAnalytics.breakdown(of: try await trades(), by: dimension, timeZone: utc)
        }
        cachedRows[dimension] = rows
        return rows
    }

    mutating func passes() async throws -> [OptimisationPass] {
        if let cachedPasses { return cachedPasses }
        let passes = backtest.passCount > 0 ? try await source.optimisationPasses(backtestID: id) : []
        cachedPasses = passes
        return passes
    }

    func fact(
        _ intent: QuestionIntent, _ label: String, _ value: String, key: String? = nil, amount: Decimal? = nil,
        detail: String? = nil, start: Date? = nil, end: Date? = nil, source: String, tradeIDs: [String] = []
    ) -> Fact {
        Fact(
            id: "", intent: intent, backtestID: id, label: label, value: value, key: key, amount: amount, detail: detail,
            startTime: start, endTime: end, source: source, tradeIDs: tradeIDs)
    }

    mutating func facts(for intent: QuestionIntent, analysis: QuestionAnalysis) async throws -> [Fact] {
        switch intent {
        case .bestWeekday, .worstWeekday, .bestHour, .worstHour, .bestMonth, .worstMonth, .bestSymbol, .worstSymbol:
            return try await rankedFact(intent)
        case .namedWeekday, .namedMonth, .namedHour:
            return try await namedFacts(intent, analysis: analysis)
        case .largestWin, .largestLoss:
            return try await extremeTradeFact(intent)
        case .longestWinningStreak, .longestLosingStreak:
            return try await streakFact(intent)
        case .maxDrawdown:
            return try await drawdownFact()
        case .parameterEffect:
            return try await parameterEffectFacts(analysis: analysis)
        case .bestPass:
            return try await bestPassFact()
        case .tradeCount, .netProfit, .commissions, .swaps, .winRate, .averageTrade, .averageWin, .averageLoss,
            .profitFactor:
            return try await statisticFact(intent)
        }
    }
}
