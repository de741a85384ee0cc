import Foundation
import PipsightCore

/// The rules a cBot is generated from, with the evidence for each: written by `PatternDetector`, saved as JSON
/// (`pipsight cbot --spec-out`), edited by the trader, read back (`pipsight cbot --spec`).
///
/// A rule that is absent (or an empty list) is not applied. `version` is checked on reading: a spec written
/// for another version is refused rather than half-understood.
public struct StrategySpec: Codable, Sendable, Hashable {
    /// The version this build writes and reads.
    public static let currentVersion = 1

    public var version: Int
    /// The cBot's name (becomes the C# class name, made a valid identifier).
    public var name: String
    /// The symbol the trades were on (for comments; the cBot trades its chart's symbol).
    public var symbol: String?
    /// The label the cBot puts on its positions and counts them by.
    public var label: String
    /// Time zone of every weekday and hour rule; the cBot runs with `TimeZones.UTC`, so this is always `UTC`.
    public var timeZone: String
    public var template: CBotTemplate
    public var volumeInUnits: Double
    /// Positions with this label and symbol the cBot may hold at once.
    public var maxOpenPositions: Int
    public var entry: EntrySettings
    /// Weekdays on which the cBot opens nothing.
    public var blockedWeekdays: [WeekdayRule]
    /// Hours (0–23) in which the cBot opens nothing.
    public var blockedHours: [HourRule]
    public var direction: DirectionRule?
    public var stopLoss: DistanceRule?
    public var takeProfit: DistanceRule?
    public var maxHolding: HoldingRule?
    public var optimisation: OptimisationRule?
    /// How the filters were tested.
    public var method: DetectionMethod
    /// Which trades the rules were found on.
    public var source: SpecSource?

    public init(
        name: String, symbol: String? = nil, label: String, template: CBotTemplate = .filter,
        volumeInUnits: Double = 10_000, maxOpenPositions: Int = 1, entry: EntrySettings = EntrySettings(),
        blockedWeekdays: [WeekdayRule] = [], blockedHours: [HourRule] = [], direction: DirectionRule? = nil,
        stopLoss: DistanceRule? = nil, takeProfit: DistanceRule? = nil, maxHolding: HoldingRule? = nil,
        optimisation: OptimisationRule? = nil, method: DetectionMethod = DetectionMethod(), source: SpecSource? = nil
    ) {
        self.version = Self.currentVersion
        self.name = name
        self.symbol = symbol
        self.label = label
        self.timeZone = "UTC"
        self.template = template
        self.volumeInUnits = volumeInUnits
        self.maxOpenPositions = maxOpenPositions
        self.entry = entry
        self.blockedWeekdays = blockedWeekdays
        self.blockedHours = blockedHours
        self.direction = direction
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.maxHolding = maxHolding
        self.optimisation = optimisation
        self.method = method
        self.source = source
    }
}

/// What the numbers behind a rule were. `summary` is the sentence the cBot's comment and the report show.
public struct RuleEvidence: Codable, Sendable, Hashable {
    public var summary: String
    /// Trades the rule is about (the group a filter removes, the trades a distance was measured on).
    public var trades: Int
    public var netProfit: Decimal?
    public var winRate: Double?
    public var profitFactor: Double?
    /// One-sided p-value of the permutation test, for filters.
    public var pValue: Double?
    /// The p-value a filter had to beat (significance / groups tested).
    public var threshold: Double?

    public init(
        summary: String, trades: Int, netProfit: Decimal? = nil, winRate: Double? = nil, profitFactor: Double? = nil,
        pValue: Double? = nil, threshold: Double? = nil
    ) {
        self.summary = summary
        self.trades = trades
        self.netProfit = netProfit
        self.winRate = winRate
        self.profitFactor = profitFactor
        self.pValue = pValue
        self.threshold = threshold
    }
}

/// A day of the week, as C#'s `DayOfWeek` names it.
public enum Weekday: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// `Friday`.
    public var name: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// From `Calendar`'s weekday number (1 = Sunday … 7 = Saturday).
    public init?(calendarWeekday: Int) {
        let order: [Weekday] = [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        guard (1...7).contains(calendarWeekday) else { return nil }
        self = order[calendarWeekday - 1]
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// Open nothing on `weekday`.
public struct WeekdayRule: Codable, Sendable, Hashable {
    public var weekday: Weekday
    public var evidence: RuleEvidence

    public init(weekday: Weekday, evidence: RuleEvidence) {
        self.weekday = weekday
        self.evidence = evidence
    }
}

/// Open nothing from `hour`:00 to `hour`:59.
public struct HourRule: Codable, Sendable, Hashable {
    public var hour: Int
    public var evidence: RuleEvidence

    public init(hour: Int, evidence: RuleEvidence) {
        self.hour = hour
        self.evidence = evidence
    }
}

/// Which directions the cBot opens.
public enum AllowedDirections: String, Codable, Sendable, Hashable, CaseIterable {
    case both
    case longOnly = "long_only"
    case shortOnly = "short_only"
}

/// Trade one direction only.
public struct DirectionRule: Codable, Sendable, Hashable {
    public var allowed: AllowedDirections
    public var evidence: RuleEvidence

    public init(allowed: AllowedDirections, evidence: RuleEvidence) {
        self.allowed = allowed
        self.evidence = evidence
    }
}

/// A stop-loss or take-profit distance in pips, with the range an optimisation should try.
public struct DistanceRule: Codable, Sendable, Hashable {
    public var pips: Double
    public var minimum: Double
    public var maximum: Double
    public var step: Double
    public var evidence: RuleEvidence

    public init(pips: Double, minimum: Double, maximum: Double, step: Double, evidence: RuleEvidence) {
        self.pips = pips
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.evidence = evidence
    }
}

/// Close a position after `hours`.
public struct HoldingRule: Codable, Sendable, Hashable {
    public var hours: Double
    public var evidence: RuleEvidence

    public init(hours: Double, evidence: RuleEvidence) {
        self.hours = hours
        self.evidence = evidence
    }
}

/// The parameters of the best optimisation passes: the best pass's values as defaults, the range the best
/// passes span as minimum and maximum.
public struct OptimisationRule: Codable, Sendable, Hashable {
    public var passes: [PassSummary]
    public var parameters: [OptimisedParameter]
    public var evidence: RuleEvidence

    public init(passes: [PassSummary], parameters: [OptimisedParameter], evidence: RuleEvidence) {
        self.passes = passes
        self.parameters = parameters
        self.evidence = evidence
    }
}

/// One optimisation pass, in short.
public struct PassSummary: Codable, Sendable, Hashable {
    public var passId: Int64
    public var netProfit: Decimal?
    public var profitFactor: Double?
    public var trades: Int64?
    public var maxEquityDrawdownFraction: Double?

    public init(passId: Int64, netProfit: Decimal?, profitFactor: Double?, trades: Int64?, maxEquityDrawdownFraction: Double?) {
        self.passId = passId
        self.netProfit = netProfit
        self.profitFactor = profitFactor
        self.trades = trades
        self.maxEquityDrawdownFraction = maxEquityDrawdownFraction
    }
}

/// The C# type of an optimised parameter.
public enum ParameterKind: String, Codable, Sendable, Hashable {
    case int, double, bool, text
}

/// One parameter of the best pass.
public struct OptimisedParameter: Codable, Sendable, Hashable {
    public var name: String
    public var kind: ParameterKind
    public var value: String
    public var minimum: String?
    public var maximum: String?
    public var step: String?

    public init(name: String, kind: ParameterKind, value: String, minimum: String? = nil, maximum: String? = nil, step: String? = nil) {
        self.name = name
        self.kind = kind
        self.value = value
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
    }
}

/// Settings of the entry signal of the `sma` and `rsi` templates.
public struct EntrySettings: Codable, Sendable, Hashable {
    public var fastPeriods: Int
    public var slowPeriods: Int
    public var rsiPeriods: Int
    public var oversold: Double
    public var overbought: Double

    public init(fastPeriods: Int = 9, slowPeriods: Int = 21, rsiPeriods: Int = 14, oversold: Double = 30, overbought: Double = 70) {
        self.fastPeriods = fastPeriods
        self.slowPeriods = slowPeriods
        self.rsiPeriods = rsiPeriods
        self.oversold = oversold
        self.overbought = overbought
    }
}

/// How the weekday, hour and direction filters were tested.
public struct DetectionMethod: Codable, Sendable, Hashable {
    public var test: String
    /// Fewest trades a group (and the trades left without it) must have to be tested at all.
    public var minimumTrades: Int
    /// Family-wise significance level, split over the groups tested (Bonferroni).
    public var significance: Double
    public var groupsTested: Int
    public var resamples: Int
    public var seed: UInt64

    public init(
        test: String = "one-sided random-subset permutation test of the group's net profit, Bonferroni-corrected",
        minimumTrades: Int = 30, significance: Double = 0.01, groupsTested: Int = 0, resamples: Int = 20_000,
        seed: UInt64 = 0x5049_5053_4947_4854
    ) {
        self.test = test
        self.minimumTrades = minimumTrades
        self.significance = significance
        self.groupsTested = groupsTested
        self.resamples = resamples
        self.seed = seed
    }
}

/// The trades a spec was found on.
public struct SpecSource: Codable, Sendable, Hashable {
    public var backtestID: UUID?
    public var trades: Int
    public var firstOpen: Date?
    public var lastOpen: Date?
    /// Set when the rules were found only on trades opened before this date.
    public var splitDate: Date?

    public init(backtestID: UUID?, trades: Int, firstOpen: Date?, lastOpen: Date?, splitDate: Date? = nil) {
        self.backtestID = backtestID
        self.trades = trades
        self.firstOpen = firstOpen
        self.lastOpen = lastOpen
        self.splitDate = splitDate
    }
}

/// The templates a cBot can be generated from.
public enum CBotTemplate: String, Codable, Sendable, Hashable, CaseIterable {
    /// A filter wrapper: the rules gate an entry signal the trader writes (`EntrySignal()`).
    case filter
    /// Simple-moving-average crossover entry.
    case sma
    /// RSI leaving the oversold / overbought zone.
    case rsi
}
