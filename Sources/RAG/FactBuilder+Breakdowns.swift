import Analytics
import Foundation
import PipsightCore

extension FactContext {
    /// Best or worst weekday, hour, month or symbol by net profit (SQL breakdown).
    mutating func rankedFact(_ intent: QuestionIntent) async throws -> [Fact] {
        let (dimension, best, noun): (BreakdownDimension, Bool, String) =
            switch intent {
            case .bestWeekday: (.weekday, true, "weekday")
            case .worstWeekday: (.weekday, false, "weekday")
            case .bestHour: (.hour, true, "hour")
            case .worstHour: (.hour, false, "hour")
            case .bestMonth: (.month, true, "month")
            case .worstMonth: (.month, false, "month")
            case .bestSymbol: (.symbol, true, "symbol")
            default: (.symbol, false, "symbol")
            }
        let rows = try await rows(dimension).filter { $0.tradeCount > 0 }
        guard var chosen = rows.first else { return [] }
        for row in rows.dropFirst() where best ? row.netProfit > chosen.netProfit : row.netProfit < chosen.netProfit {
            chosen = row
        }
        let basis =
            switch dimension {
            case .weekday: "by open weekday, UTC"
            case .hour: "by open hour, UTC"
            case .month: "by close month, UTC"
            default: "by symbol"
            }
        return [
            fact(
                intent, "\(best ? "Best" : "Worst") \(noun) (net profit \(basis), \(rows.count) \(noun)s with trades)",
                valueText(chosen, dimension), key: key(chosen, dimension), amount: chosen.netProfit,
                detail: rowDetail(chosen), source: "\(aggregateSource): breakdown by \(dimension.rawValue)"),
        ]
    }

    /// The result of the weekdays, months or hours the question names.
    mutating func namedFacts(_ intent: QuestionIntent, analysis: QuestionAnalysis) async throws -> [Fact] {
        let dimension: BreakdownDimension = intent == .namedWeekday ? .weekday : intent == .namedMonth ? .month : .hour
        let rows = try await rows(dimension)
        let chosen = rows.filter { row in
            switch dimension {
            case .weekday: return analysis.weekdays.contains(row.label)
            case .month: return Int(row.key.split(separator: "-").last ?? "").map(analysis.months.contains) ?? false
            default: return Int(row.key).map(analysis.hours.contains) ?? false
            }
        }
        return chosen.map { row in
            fact(
                intent, "Result of \(valueText(row, dimension))", FactFormat.money(row.netProfit),
                key: key(row, dimension), amount: row.netProfit, detail: rowDetail(row),
                source: "\(aggregateSource): breakdown by \(dimension.rawValue)")
        }
    }

    func valueText(_ row: BreakdownRow, _ dimension: BreakdownDimension) -> String {
        dimension == .hour ? "\(row.label) UTC" : row.label
    }

    /// Weekday name, hour `22`, month `2024-03`, symbol.
    func key(_ row: BreakdownRow, _ dimension: BreakdownDimension) -> String {
        dimension == .weekday ? row.label : row.key
    }

    func rowDetail(_ row: BreakdownRow) -> String {
        var parts = ["net \(FactFormat.money(row.netProfit)) over \(row.tradeCount) trades"]
        if let winRate = row.winRate { parts.append("win rate \(FactFormat.percent(winRate))") }
        parts.append("profit factor \(row.profitFactorText)")
        return parts.joined(separator: ", ")
    }
}
