import Analytics
import Foundation
import PipsightCore

extension WhatIfReport {
    /// The report as Markdown: caveat, rules, and one table per period with every metric side by side.
    public func markdown(title: String) -> String {
        var lines = ["# What-if: \(title)", "", "> **\(caveat)**", ""]
        if let splitDate {
            lines += ["Split date: \(splitDate.formatted(.iso8601)): rules found on trades opened before it, checked on the rest.", ""]
        }
        lines.append("## Filters applied")
        lines.append("")
        lines += rulesApplied.isEmpty ? ["None: no weekday, hour or direction passed the significance test."] : rulesApplied.map { "- \($0)" }
        lines.append("")
        if !notSimulated.isEmpty {
            lines += ["## In the cBot but not replayed", "", "The recorded trades hold no price path, so these rules cannot be replayed on them:", ""]
            lines += notSimulated.map { "- \($0)" }
            lines.append("")
        }
        for comparison in [inSample] + (outOfSample.map { [$0] } ?? []) {
            lines += comparison.markdownSection()
        }
        return lines.joined(separator: "\n")
    }
}

extension WhatIfComparison {
    func markdownSection() -> [String] {
        var lines = [
            "## \(name.prefix(1).uppercased() + name.dropFirst())", "",
            "\(tradeCount) trades; the filters keep \(keptTrades) and remove \(removedTrades) (net \(EvidenceText.money(removedNetProfit))).", "",
            "| metric | all trades | with the rules | change |", "| --- | ---: | ---: | ---: |",
        ]
        let before = Self.flatten(all)
        let after = Self.flatten(withRules)
        for key in Set(before.keys).union(after.keys).sorted(by: Self.metricOrder) {
            let a = before[key] ?? .missing
            let b = after[key] ?? .missing
            lines.append("| \(key) | \(a.text) | \(b.text) | \(MetricValue.change(a, b)) |")
        }
        lines.append("")
        return lines
    }

    /// Overall metrics first, then `all.`, `long.`, `short.`.
    static func metricOrder(_ lhs: String, _ rhs: String) -> Bool {
        func rank(_ key: String) -> Int {
            if key.hasPrefix("all.") { return 1 }
            if key.hasPrefix("long.") { return 2 }
            if key.hasPrefix("short.") { return 3 }
            return 0
        }
        return (rank(lhs), lhs) < (rank(rhs), rhs)
    }

    /// Every leaf of the statistics' JSON, by dotted path: every metric the analytics computes, without listing them.
    static func flatten(_ statistics: BacktestStatistics) -> [String: MetricValue] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(statistics), let object = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return [:]
        }
        var result: [String: MetricValue] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                for (key, child) in members { walk(child, path.isEmpty ? key : "\(path).\(key)") }
            case .number(let number): result[path] = .number(number)
            case .bool(let flag): result[path] = .text(flag ? "yes" : "no")
            case .string(let text): result[path] = .text(text)
            case .null, .array: result[path] = .missing
            }
        }
        walk(object, "")
        return result
    }
}

/// One cell of the what-if table.
enum MetricValue {
    case number(Double)
    case text(String)
    case missing

    var text: String {
        switch self {
        case .number(let value): return Self.format(value)
        case .text(let value): return value
        case .missing: return "-"
        }
    }

    static func change(_ lhs: MetricValue, _ rhs: MetricValue) -> String {
        guard case .number(let a) = lhs, case .number(let b) = rhs else { return "" }
        let difference = b - a
        return difference == 0 ? "0" : (difference > 0 ? "+" : "") + format(difference)
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.0f", value) }
        var text = String(format: abs(value) >= 100 ? "%.2f" : "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
