import Foundation
import PipsightCore

extension PatternDetector {
    /// The best passes by net profit (then profit factor), and their parameters: the best pass's value as the
    /// default, the smallest and largest value among the best passes as the range.
    func optimisationRule(_ passes: [OptimisationPass]) -> OptimisationRule? {
        let ranked = passes.filter { $0.netProfit != nil }.sorted { a, b in
            if a.netProfit != b.netProfit { return (a.netProfit ?? 0) > (b.netProfit ?? 0) }
            if a.profitFactor != b.profitFactor { return (a.profitFactor ?? 0) > (b.profitFactor ?? 0) }
            return a.passId < b.passId
        }
        let best = Array(ranked.prefix(max(1, configuration.bestPasses)))
        guard let top = best.first else { return nil }
        var parameters: [OptimisedParameter] = []
        for name in top.parameters.keys.sorted() {
            guard let value = top.parameters[name] else { continue }
            let values = best.compactMap { $0.parameters[name] }
            parameters.append(Self.optimisedParameter(name: name, value: value, values: values))
        }
        let summaries = best.map {
            PassSummary(
                passId: $0.passId, netProfit: $0.netProfit, profitFactor: $0.profitFactor, trades: $0.trades,
                maxEquityDrawdownFraction: $0.maxEquityDrawdownFraction)
        }
        let listed = best.map { pass in
            "pass \(pass.passId): net \(EvidenceText.money(pass.netProfit ?? 0)), profit factor \(EvidenceText.factor(pass.profitFactor))"
                + (pass.maxEquityDrawdownFraction.map { ", max equity drawdown \(EvidenceText.percent($0))" } ?? "")
        }.joined(separator: "; ")
        let summary =
            "best \(best.count) of \(passes.count) optimisation passes by net profit: \(listed). "
            + "Defaults are pass \(top.passId)'s values; the ranges span the best passes. Best passes of an optimisation are in-sample too."
        return OptimisationRule(
            passes: summaries, parameters: parameters,
            evidence: RuleEvidence(summary: summary, trades: Int(top.trades ?? 0), netProfit: top.netProfit, profitFactor: top.profitFactor))
    }

    /// The C# kind of a parameter from the values the best passes gave it.
    static func optimisedParameter(name: String, value: String, values: [String]) -> OptimisedParameter {
        let all = values.isEmpty ? [value] : values
        if all.allSatisfy({ Int($0) != nil }) {
            let numbers = all.compactMap { Int($0) }
            return OptimisedParameter(
                name: name, kind: .int, value: value, minimum: numbers.min().map(String.init), maximum: numbers.max().map(String.init))
        }
        if all.allSatisfy({ Double($0)?.isFinite == true }) {
            let numbers = all.compactMap { Double($0) }
            return OptimisedParameter(
                name: name, kind: .double, value: value,
                minimum: numbers.min().map { CSharp.double($0, decimals: 6) }, maximum: numbers.max().map { CSharp.double($0, decimals: 6) })
        }
        if all.allSatisfy({ Bool($0.lowercased()) != nil }) {
            return OptimisedParameter(name: name, kind: .bool, value: value.lowercased())
        }
        return OptimisedParameter(name: name, kind: .text, value: value)
    }
}
