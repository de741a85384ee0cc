import Foundation
import Logging
import PipsightCore

/// Finds the rules a backtest's trades support: weekdays and hours to stay out of, a direction to drop, stop-loss
/// and take-profit distances, a holding-time limit, and the parameters of the best optimisation passes.
///
/// **Filters are never proposed from noise.** A weekday, an hour (of the open time, in `timeZone`) or a direction
/// is tested only when it and the trades left without it both have at least `minimumTrades` trades. It becomes a
/// rule only when all three hold: its trades lost money in total (removing them raises net profit), removing them
/// raises the profit factor, and the one-sided `SubsetPermutationTest` of its net profit gives a p-value below
/// `significance / groups tested` (Bonferroni over every weekday, hour and direction tested), so that on trades
/// with no pattern the chance of proposing any filter at all is at most `significance` (1 % by default).
public struct PatternDetector: Sendable {
    /// Settings of the detector; the defaults are what the CLI and the HTTP API use.
    public struct Configuration: Sendable, Hashable {
        public var minimumTrades: Int
        public var significance: Double
        public var test: SubsetPermutationTest
        /// Time zone of the weekday and hour groups; the generated cBot runs in UTC.
        public var timeZone: TimeZone
        /// Best optimisation passes whose parameters are reported.
        public var bestPasses: Int

        public init(
            minimumTrades: Int = 30, significance: Double = 0.01, test: SubsetPermutationTest = SubsetPermutationTest(),
            timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt, bestPasses: Int = 3
        ) {
            self.minimumTrades = minimumTrades
            self.significance = significance
            self.test = test
            self.timeZone = timeZone
            self.bestPasses = bestPasses
        }
    }

    public var configuration: Configuration
    let logger: Logger

    public init(configuration: Configuration = Configuration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// `base` with every rule the trades and passes support filled in (its name, label, template, volume and entry
    /// settings are kept; its rules are replaced).
    public func detect(trades: [Trade], passes: [OptimisationPass] = [], base: StrategySpec) -> StrategySpec {
        var spec = base
        let groups = filterGroups(trades)
        spec.blockedWeekdays = groups.weekdays
        spec.blockedHours = groups.hours
        spec.direction = groups.direction
        spec.method = DetectionMethod(
            minimumTrades: configuration.minimumTrades, significance: configuration.significance,
            groupsTested: groups.tested, resamples: configuration.test.resamples, seed: configuration.test.seed)
        let pipSize = Self.pipSize(of: trades, symbol: base.symbol)
        spec.stopLoss = stopLossRule(trades, pipSize: pipSize)
        spec.takeProfit = takeProfitRule(trades, pipSize: pipSize)
        spec.maxHolding = holdingRule(trades)
        spec.optimisation = optimisationRule(passes)
        let opens = trades.map(\.openTime)
        spec.source = SpecSource(
            backtestID: base.source?.backtestID, trades: trades.count, firstOpen: opens.min(), lastOpen: opens.max(),
            splitDate: base.source?.splitDate)
        logger.debug(
            "detected rules",
            metadata: [
                "trades": "\(trades.count)", "groupsTested": "\(groups.tested)",
                "weekdays": "\(spec.blockedWeekdays.map(\.weekday.name))", "hours": "\(spec.blockedHours.map(\.hour))",
            ])
        return spec
    }

    /// One candidate group of trades for a filter.
    struct Candidate {
        enum Key: Hashable {
            case weekday(Weekday)
            case hour(Int)
            case direction(TradeDirection)
        }
        var key: Key
        var name: String
        var indices: [Int]
    }

    /// The outcome of testing one group.
    struct TestedGroup {
        var candidate: Candidate
        var sample: TradeSample
        var pValue: Double
        var accepted: Bool
        var evidence: RuleEvidence
    }

    func filterGroups(_ trades: [Trade]) -> (weekdays: [WeekdayRule], hours: [HourRule], direction: DirectionRule?, tested: Int) {
        let tested = testGroups(trades)
        var weekdays: [WeekdayRule] = []
        var hours: [HourRule] = []
        var directions: [(TestedGroup, TradeDirection)] = []
        for group in tested where group.accepted {
            switch group.candidate.key {
            case .weekday(let day): weekdays.append(WeekdayRule(weekday: day, evidence: group.evidence))
            case .hour(let hour): hours.append(HourRule(hour: hour, evidence: group.evidence))
            case .direction(let direction): directions.append((group, direction))
            }
        }
        // Dropping both directions would leave nothing: keep the clearer one.
        let worst = directions.min { $0.0.pValue < $1.0.pValue }
        let direction = worst.map { group, dropped in
            DirectionRule(allowed: dropped == .buy ? .shortOnly : .longOnly, evidence: group.evidence)
        }
        return (weekdays.sorted { $0.weekday < $1.weekday }, hours.sorted { $0.hour < $1.hour }, direction, tested.count)
    }

    /// Every group large enough to test, tested.
    func testGroups(_ trades: [Trade]) -> [TestedGroup] {
        let minimum = configuration.minimumTrades
        let candidates = candidates(trades).filter {
            $0.indices.count >= minimum && trades.count - $0.indices.count >= minimum
        }
        guard !candidates.isEmpty else { return [] }
        let threshold = configuration.significance / Double(candidates.count)
        let values = trades.map { $0.pipsightNet.double }
        let all = TradeSample(trades)
        return candidates.enumerated().map { index, candidate in
            let sample = TradeSample(candidate.indices.map { trades[$0] })
            let without = all - sample
            let improvesNet = sample.netProfit < 0
            let improvesFactor = Self.isBetter(without.profitFactor, than: all.profitFactor)
            var result = SubsetPermutationTest.Result(pValue: 1, resamples: 0)
            if improvesNet && improvesFactor {
                result = configuration.test.test(
                    values: values, subsetSize: sample.count, observedSum: sample.netProfit.double, salt: UInt64(index + 1))
            }
            let pValue = result.pValue
            let accepted = improvesNet && improvesFactor && pValue < threshold
            let summary =
                "\(candidate.name): \(sample.count) of \(all.count) trades, net \(EvidenceText.money(sample.netProfit)), "
                + "win rate \(EvidenceText.percent(sample.winRate)), profit factor \(EvidenceText.factor(sample.profitFactor)); "
                + "without them net \(EvidenceText.money(without.netProfit)) (all: \(EvidenceText.money(all.netProfit))), "
                + "profit factor \(EvidenceText.factor(without.profitFactor)) (all: \(EvidenceText.factor(all.profitFactor))); "
                + (result.resamples == 0
                    ? "not tested: removing them would not raise both net profit and profit factor."
                    : "\(result.methodText): p = \(EvidenceText.pValue(pValue)) "
                        + "(needed < \(EvidenceText.pValue(threshold)) = \(configuration.significance) / \(candidates.count) groups tested).")
            let evidence = RuleEvidence(
                summary: summary, trades: sample.count, netProfit: sample.netProfit, winRate: sample.winRate,
                profitFactor: sample.finiteProfitFactor, pValue: pValue, threshold: threshold)
            return TestedGroup(candidate: candidate, sample: sample, pValue: pValue, accepted: accepted, evidence: evidence)
        }
    }

    /// Weekday, hour and direction groups of the open times, in `timeZone`.
    func candidates(_ trades: [Trade]) -> [Candidate] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        var byWeekday: [Weekday: [Int]] = [:]
        var byHour: [Int: [Int]] = [:]
        var byDirection: [TradeDirection: [Int]] = [:]
        let zoneName = configuration.timeZone.secondsFromGMT() == 0 && ["GMT", "UTC"].contains(configuration.timeZone.identifier)
            ? "UTC" : configuration.timeZone.identifier
        for (index, trade) in trades.enumerated() {
            let parts = calendar.dateComponents([.weekday, .hour], from: trade.openTime)
            if let day = parts.weekday.flatMap(Weekday.init(calendarWeekday:)) { byWeekday[day, default: []].append(index) }
            if let hour = parts.hour { byHour[hour, default: []].append(index) }
            byDirection[trade.direction, default: []].append(index)
        }
        var result: [Candidate] = []
        for day in Weekday.allCases {
            result.append(Candidate(key: .weekday(day), name: "Positions opened on \(day.name) (\(zoneName))", indices: byWeekday[day] ?? []))
        }
        for hour in 0..<24 {
            let label = String(format: "%02d:00-%02d:59", hour, hour)
            result.append(Candidate(key: .hour(hour), name: "Positions opened \(label) (\(zoneName))", indices: byHour[hour] ?? []))
        }
        for direction in TradeDirection.allCases {
            let name = direction == .buy ? "Long (buy) positions" : "Short (sell) positions"
            result.append(Candidate(key: .direction(direction), name: name, indices: byDirection[direction] ?? []))
        }
        return result
    }

    /// True when `candidate` is a strictly higher profit factor than `reference` (nil: no trades with a result).
    static func isBetter(_ candidate: Double?, than reference: Double?) -> Bool {
        guard let candidate else { return false }
        guard let reference else { return true }
        return candidate > reference
    }
}
