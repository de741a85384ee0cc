import Foundation
import PipsightCore

extension FactContext {
    /// For each parameter the question names (every parameter that varies when it names none): mean net profit
    /// of the passes per value, and the value with the highest mean.
    mutating func parameterEffectFacts(analysis: QuestionAnalysis) async throws -> [Fact] {
        let passes = try await passes().filter { !$0.parameters.isEmpty && $0.netProfit != nil }
        guard passes.count > 1 else { return [] }
        let names = Set(passes.flatMap { $0.parameters.keys }).sorted()
        let varying = names.filter { name in Set(passes.compactMap { $0.parameters[name] }).count > 1 }
        let squashedQuestion = Self.squash(analysis.question)
        let named = varying.filter { squashedQuestion.contains(Self.squash(Self.leadingWords(of: $0))) }
        return (named.isEmpty ? varying : named).compactMap { effect(of: $0, passes: passes) }
    }

    func effect(of name: String, passes: [OptimisationPass]) -> Fact? {
        var groups: [String: (sum: Decimal, count: Int)] = [:]
        for pass in passes {
            guard let value = pass.parameters[name], let net = pass.netProfit else { continue }
            groups[value, default: (0, 0)].sum += net
            groups[value, default: (0, 0)].count += 1
        }
        let ordered = groups.keys.sorted { left, right in
            if let l = Decimal(string: left), let r = Decimal(string: right) { return l < r }
            return left < right
        }
        let means = ordered.compactMap { value -> (value: String, mean: Decimal, count: Int)? in
            guard let group = groups[value], group.count > 0 else { return nil }
            return (value, group.sum / Decimal(group.count), group.count)
        }
        guard var best = means.first, means.count > 1 else { return nil }
        for entry in means.dropFirst() where entry.mean > best.mean { best = entry }
        let byValue = means.map { "\($0.value): \(FactFormat.money($0.mean)) (\($0.count) passes)" }
        return fact(
            .parameterEffect, "Effect of \(name) across \(passes.count) optimisation passes (mean net profit by value)",
            "\(name) = \(best.value)", key: best.value, amount: roundedMoney(best.mean),
            detail: byValue.joined(separator: "; "), source: "stored optimisation passes (SQL)")
    }

    /// The pass with the highest net profit.
    mutating func bestPassFact() async throws -> [Fact] {
        let passes = try await passes()
        guard var best = passes.first(where: { $0.netProfit != nil }) else { return [] }
        for pass in passes where (pass.netProfit ?? 0) > (best.netProfit ?? 0) { best = pass }
        let parameters = best.parameters.keys.sorted().map { "\($0)=\(best.parameters[$0] ?? "")" }
        return [
            fact(
                .bestPass, "Most profitable optimisation pass (of \(passes.count))", "pass \(best.passId)",
                key: "\(best.passId)", amount: best.netProfit,
                detail: "net \(FactFormat.money(best.netProfit ?? 0)), \(best.trades.map { "\($0) trades" } ?? "trades unknown")"
                    + (parameters.isEmpty ? "" : ", " + parameters.joined(separator: ", ")),
                source: "stored optimisation passes (SQL)"),
        ]
    }

    func roundedMoney(_ value: Decimal) -> Decimal {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return rounded
    }

    /// Lower-case letters and digits only.
    static func squash(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The first two words of a CamelCase or snake_case name (`StopLossPips` → `Stop Loss`, `MAType` → `MA Type`).
    static func leadingWords(of name: String) -> String {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character == "_" || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let startsWord = character.isUppercase && !current.isEmpty
                && (!(current.last?.isUppercase ?? false) || (next?.isLowercase ?? false))
            if startsWord {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.prefix(2).joined(separator: " ")
    }
}
