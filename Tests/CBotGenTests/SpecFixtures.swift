import Foundation
@testable import CBotGen

/// Hand-written specs: one with every kind of rule (the golden files' input) and one whose every data-derived
/// string is hostile.
enum SpecFixtures {
    static func evidence(_ text: String, trades: Int = 40) -> RuleEvidence {
        RuleEvidence(summary: text, trades: trades, netProfit: -123.45, winRate: 0.25, profitFactor: 0.5, pValue: 0.0002, threshold: 0.0016)
    }

    /// Every rule kind, fixed values.
    static func complete(template: CBotTemplate) -> StrategySpec {
        StrategySpec(
            name: "Sample Trend cBot", symbol: "EURUSD", label: "PipsightSample", template: template, volumeInUnits: 10_000,
            maxOpenPositions: 2, entry: EntrySettings(fastPeriods: 9, slowPeriods: 21, rsiPeriods: 14, oversold: 30, overbought: 70),
            blockedWeekdays: [WeekdayRule(weekday: .friday, evidence: evidence("Fridays lost."))],
            blockedHours: [HourRule(hour: 21, evidence: evidence("21 h lost.")), HourRule(hour: 22, evidence: evidence("22 h lost."))],
            direction: DirectionRule(allowed: .longOnly, evidence: evidence("Shorts lost.")),
            stopLoss: DistanceRule(pips: 25, minimum: 10, maximum: 50, step: 1, evidence: evidence("Median stop 25 pips.")),
            takeProfit: DistanceRule(pips: 37.5, minimum: 15, maximum: 75, step: 0.5, evidence: evidence("Median target 37.5 pips.")),
            maxHolding: HoldingRule(hours: 16.5, evidence: evidence("Long holds lost.")),
            optimisation: OptimisationRule(
                passes: [PassSummary(passId: 7, netProfit: 950.5, profitFactor: 1.8, trades: 120, maxEquityDrawdownFraction: 0.12)],
                parameters: [
                    OptimisedParameter(name: "StopLossPips", kind: .int, value: "25", minimum: "20", maximum: "30"),
                    OptimisedParameter(name: "TakeProfitRatio", kind: .double, value: "1.5", minimum: "1.25", maximum: "2.0"),
                    OptimisedParameter(name: "TradeFridays", kind: .bool, value: "false"),
                    OptimisedParameter(name: "MAType", kind: .text, value: "Exponential"),
                ],
                evidence: evidence("Pass 7 was best.")),
            method: DetectionMethod(groupsTested: 31),
            source: SpecSource(
                backtestID: UUID(uuidString: "8A9949DE-3479-45CA-A76C-1C795F34D99A"), trades: 300,
                firstOpen: Date(timeIntervalSince1970: 1_704_067_200), lastOpen: Date(timeIntervalSince1970: 1_727_395_200)))
    }

    /// A label that tries to break out of its string literal and run code.
    static let hostileLabel = "\"; System.IO.File.Delete(\"x\"); //"

    /// Hostile strings everywhere the data reaches: name, symbol, label, parameter names and values, evidence.
    static func hostile(template: CBotTemplate) -> StrategySpec {
        var spec = complete(template: template)
        spec.name = "class\n}} System.IO.File.Delete(\"x\"); /*"
        spec.symbol = "EURUSD\u{2028}System.IO.File.Delete(\"y\");"
        spec.label = hostileLabel
        spec.blockedWeekdays[0].evidence.summary = "*/ \n System.IO.File.Delete(\"z\"); \r\n // \u{202E} evil"
        spec.optimisation?.parameters = [
            OptimisedParameter(name: "1st param", kind: .int, value: "3"),
            OptimisedParameter(name: "class", kind: .int, value: "4"),
            OptimisedParameter(name: "Größe Ünïcode", kind: .double, value: "0.5"),
            OptimisedParameter(name: "\"); System.IO.File.Delete(\"p\"); //", kind: .text, value: "\"); System.IO.File.Delete(\"v\"); //"),
            OptimisedParameter(name: "StopLossPips", kind: .int, value: "1"),
            OptimisedParameter(name: "Stop Loss Pips", kind: .int, value: "2"),
            OptimisedParameter(name: "", kind: .bool, value: "true"),
            OptimisedParameter(name: "😀", kind: .text, value: "😀\u{0}\u{85}"),
        ]
        return spec
    }
}
