import Foundation
import PipsightCore

extension DocumentBuilder {
    /// Day, weekday, hour and month documents (UTC, by open time; days by open date).
    func groupDocuments(trades: [Trade], backtestID: UUID, currency: String) -> [RAGDocument] {
        typealias F = NarrativeFormat
        guard !trades.isEmpty else { return [] }
        let parts = trades.map { F.parts($0.openTime) }
        var result: [RAGDocument] = []

        // Days, in date order.
        var byDay: [String: [Int]] = [:]
        for (i, p) in parts.enumerated() { byDay[p.dayKey, default: []].append(i) }
        for day in byDay.keys.sorted() {
            let indices = byDay[day] ?? []
            let dayTrades = indices.map { trades[$0] }
            let summary = TradeGroupSummary(dayTrades)
            let p = parts[indices[0]]
            let start = F.calendar.startOfDay(for: trades[indices[0]].openTime)
            let end = dayTrades.map(\.closeTime).max() ?? start
            let list = dayTrades.map { trade in
                "\(trade.positionId) \(trade.direction == .buy ? "long" : "short") \(F.time(trade.openTime))-\(F.time(trade.closeTime)) \(F.signedMoney(TradeGroupSummary.result(trade)))"
            }.joined(separator: "; ")
            let text = "Trades on \(day) (\(p.weekdayName), \(p.monthName) \(p.year)): \(summary.sentence(currency: currency))\nTrades opened on \(day): \(list)."
            result.append(RAGDocument(
                id: RAGDocument.makeID(backtestID: backtestID, kind: .day, key: day), backtestID: backtestID,
                kind: .day, title: "\(day) \(p.weekdayName): \(summary.count) trades, net \(F.signedMoney(summary.net))",
                text: text, tradeIDs: summary.tradeIDs, startTime: start, endTime: max(end, start)))
        }

        let span = (trades.map(\.openTime).min(), trades.map(\.closeTime).max())
        // Weekdays (Monday first), hours, months.
        result += rankedGroups(
            trades: trades, keys: parts.map { ($0.weekday + 5) % 7 }, backtestID: backtestID, currency: currency,
            kind: .weekday, noun: "weekday",
            superlatives: ("the best day of the week, the most profitable weekday: makes the most money",
                           "the worst day of the week, the least profitable weekday: loses the most money, a weekday to avoid, where things go wrong"),
            span: { _ in span },
            key: { F.weekdays[($0 + 1) % 7].lowercased() },
            heading: { "\(F.weekdays[($0 + 1) % 7]) (day of the week)" },
            intro: { "Trades opened on \(F.weekdays[($0 + 1) % 7])s (day of the week, UTC)" })
        result += rankedGroups(
            trades: trades, keys: parts.map(\.hour), backtestID: backtestID, currency: currency,
            kind: .hour, noun: "hour",
            superlatives: ("the best hour of the day, the most profitable time of day to open trades: makes the most money",
                           "the worst hour of the day, the least profitable time of day: loses the most money, stop opening trades at this hour"),
            span: { _ in span },
            key: { String(format: "%02d", $0) },
            heading: { String(format: "Hour %02d:00 UTC (hour of the day)", $0) },
            intro: { String(format: "Trades opened in hour %02d (%02d:00-%02d:59 UTC, ", $0, $0, $0) + TradingSession(utcHour: $0).rawValue + " session)" })
        // Months by close time: the month in which the profit or loss was realised.
        let closeParts = trades.map { F.parts($0.closeTime) }
        result += rankedGroups(
            trades: trades, keys: closeParts.map { $0.year * 12 + $0.month - 1 }, backtestID: backtestID,
            currency: currency, kind: .month, noun: "month",
            superlatives: ("the best month, the most profitable month: made the most money",
                           "the worst month, the least profitable month: lost the most money, the month things went wrong"),
            span: { key in
                let start = F.calendar.date(from: DateComponents(year: key / 12, month: key % 12 + 1, day: 1))
                let end = start.flatMap { F.calendar.date(byAdding: DateComponents(month: 1, second: -1), to: $0) }
                return (start, end)
            },
            key: { String(format: "%04d-%02d", $0 / 12, $0 % 12 + 1) },
            heading: { "\(F.months[$0 % 12]) \($0 / 12)" },
            intro: { "Trades closed in \(F.months[$0 % 12]) \($0 / 12) (month \(String(format: "%04d-%02d", $0 / 12, $0 % 12 + 1)), profit realised that month)" })
        return result
    }

    /// Groups trades by an integer key and writes one document per group, with its rank by net profit.
    private func rankedGroups(
        trades: [Trade], keys: [Int], backtestID: UUID, currency: String, kind: DocumentKind, noun: String,
        superlatives: (best: String, worst: String), span: (Int) -> (Date?, Date?), key: (Int) -> String, heading: (Int) -> String, intro: (Int) -> String
    ) -> [RAGDocument] {
        typealias F = NarrativeFormat
        var groups: [Int: [Trade]] = [:]
        for (i, k) in keys.enumerated() { groups[k, default: []].append(trades[i]) }
        let summaries = groups.mapValues { TradeGroupSummary($0) }
        // Rank 1 = highest net profit; ties by key.
        let ranked = summaries.keys.sorted { (summaries[$0]?.net ?? 0, -$0) > (summaries[$1]?.net ?? 0, -$1) }
        let byWinRate = summaries.keys.sorted { (summaries[$0]?.winRate ?? 0, -$0) > (summaries[$1]?.winRate ?? 0, -$1) }
        return summaries.keys.sorted().compactMap { k in
            guard let summary = summaries[k], let rank = ranked.firstIndex(of: k).map({ $0 + 1 }),
                  let winRank = byWinRate.firstIndex(of: k).map({ $0 + 1 }) else { return nil }
            var standing = "Ranks \(F.ordinal(rank)) of \(ranked.count) \(noun)s by net profit"
            var verdict = ""
            if rank == 1, ranked.count > 1 { verdict = superlatives.best }
            if rank == ranked.count, ranked.count > 1 { verdict = superlatives.worst }
            if !verdict.isEmpty { standing += " (\(verdict))" }
            standing += " and \(F.ordinal(winRank)) by win rate."
            let text = "\(intro(k)): \(summary.sentence(currency: currency))\n\(standing)"
            let (start, end) = span(k)
            return RAGDocument(
                id: RAGDocument.makeID(backtestID: backtestID, kind: kind, key: key(k)), backtestID: backtestID,
                kind: kind, title: "\(heading(k)): \(verdict.isEmpty ? "" : verdict.prefix { $0 != ":" } + "; ")\(summary.count) trades, net \(F.signedMoney(summary.net))",
                text: text, tradeIDs: Array(summary.tradeIDs.prefix(50)), startTime: start, endTime: end)
        }
    }
}

extension NarrativeFormat {
    /// `08:15`.
    static func time(_ date: Date) -> String { parts(date).time }
}
