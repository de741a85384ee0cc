import Foundation

/// Reads a question with keyword and pattern rules (no model) and says which numbers it asks for, so that
/// numeric answers come from the analytics, never from retrieved text. Deterministic: the same question gives
/// the same analysis.
public struct QuestionAnalyser: Sendable {
    public init() {}

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    /// The intents and hints of `question`.
    public func analyse(_ question: String) -> QuestionAnalysis {
        let text = Normalised(question)
        var analysis = QuestionAnalysis(question: question)
        analysis.isExplanatory = text.has(["why", "explain", "reason", "what caused", "what happened", "how come"])
        analysis.weekdays = Self.weekdayNames.filter { text.has([$0.lowercased()]) }
        analysis.months = Self.monthNames.enumerated().compactMap { index, name in
            // "may" is also a verb: only count it next to a year or after "in".
            if name == "may" { return text.matches(#"\b(in may|may \d{4})\b"#) ? 5 : nil }
            return text.has([name, String(name.prefix(3)) + " "]) ? index + 1 : nil
        }
        analysis.hours = hours(in: question)
        analysis.tradeReferences = Self.captures(DocumentRepository.tradeReferencePattern, in: question)
        analysis.days = Self.captures(#"\b(\d{4}-\d{2}-\d{2})\b"#, in: question)
        analysis.years = Self.captures(#"\b((?:19|20)\d{2})\b"#, in: question).compactMap { Int($0) }
            .filter { year in !analysis.days.contains { $0.hasPrefix("\(year)") } }

        let bestWords = text.has([
            "best", "most profitable", "highest", "top", "strongest", "made the most", "most money", "greatest",
            "better",
        ])
        let worst = text.has([
            "worst", "least profitable", "lowest", "avoid", "weakest", "lost the most", "lose the most", "loses the most",
            "most losing", "losing", "lose", "loses", "lost", "worse", "bad", "unprofitable",
        ])
        // "loses the most money" asks for the worst only, although it says "most money".
        let strongWorst = text.has(["lost the most", "lose the most", "loses the most", "losing the most"])
        let strongBest = text.has(["best", "most profitable", "highest", "top", "strongest", "better"])
        let best = bestWords && (strongBest || !strongWorst)
        let bothWays = best == worst
        var intents: [QuestionIntent] = []
        func ranked(_ bestIntent: QuestionIntent, _ worstIntent: QuestionIntent) {
            if best || bothWays { intents.append(bestIntent) }
            if worst || bothWays { intents.append(worstIntent) }
        }

        let weekday = text.has(["weekday", "day of the week", "day of week", "which day", "what day", "days"])
        let hour = text.has(["hour", "time of day", "what time", "which time", "session"])
        let month = text.has(["month"])
        let symbol = text.has(["symbol", "pair", "instrument", "market"])
        let namedPeriod = !analysis.weekdays.isEmpty || !analysis.months.isEmpty || !analysis.hours.isEmpty
        if weekday { ranked(.bestWeekday, .worstWeekday) }
        if hour { ranked(.bestHour, .worstHour) }
        if month { ranked(.bestMonth, .worstMonth) }
        if symbol { ranked(.bestSymbol, .worstSymbol) }
        if !analysis.weekdays.isEmpty { intents.append(.namedWeekday) }
        if !analysis.months.isEmpty { intents.append(.namedMonth) }
        if !analysis.hours.isEmpty { intents.append(.namedHour) }
        let dimension = weekday || hour || month || symbol

        let tradeWord = text.has(["trade", "position", "loss", "win"])
        if text.has(["largest loss", "biggest loss", "largest losing", "biggest losing", "max loss", "maximum loss",
            "worst trade", "worst position", "lost the most in one", "single biggest loss", "largest single loss"])
            || (!dimension && !namedPeriod && worst && tradeWord && text.has(["largest", "biggest", "worst"]))
        {
            intents.append(.largestLoss)
        }
        if text.has(["largest win", "biggest win", "largest winning", "biggest winning", "best trade", "best position",
            "max win", "maximum win", "largest profit", "biggest profit"])
        {
            intents.append(.largestWin)
        }
        if text.has(["streak", "consecutive", "in a row", "run of"]) {
            let losing = text.has(["los", "loser"])
            let winning = text.has(["win", "winner"])
            if winning || !losing { intents.append(.longestWinningStreak) }
            if losing || !winning { intents.append(.longestLosingStreak) }
        }
        if text.has(["drawdown", "draw down", "drawdowns", "dd "]) { intents.append(.maxDrawdown) }
        if text.has(["win rate", "winrate", "win ratio", "hit rate", "winning percentage", "percentage of win",
            "how often", "success rate", "strike rate"])
        {
            intents.append(.winRate)
        }
        if text.has(["profit factor"]) { intents.append(.profitFactor) }
        if text.has(["how many trades", "number of trades", "trade count", "how many positions", "number of positions",
            "total trades"])
        {
            intents.append(.tradeCount)
        }
        if text.has(["average win", "avg win", "average winning", "mean win"]) { intents.append(.averageWin) }
        if text.has(["average loss", "avg loss", "average losing", "mean loss"]) { intents.append(.averageLoss) }
        if text.has(["average trade", "avg trade", "expectancy", "average profit per", "average per trade",
            "mean trade", "average result"])
        {
            intents.append(.averageTrade)
        }
        if text.has(["commission"]) { intents.append(.commissions) }
        if text.has(["swap"]) { intents.append(.swaps) }

        let parameter = text.has(["parameter", "optimi", "pass ", "passes", "setting", "input"])
        analysis.parameterHints = parameterHints(in: question)
        if parameter {
            let passRanking = text.has(["pass"]) && (best || text.has(["which pass", "top pass"]))
            let aboutParameters = !analysis.parameterHints.isEmpty
                || text.has(["parameter", "value", "setting", "input", "effect", "impact", "affect", "influence"])
            if passRanking { intents.append(.bestPass) }
            if aboutParameters || !passRanking { intents.append(.parameterEffect) }
        }
        if !analysis.parameterHints.isEmpty, !intents.contains(.parameterEffect), text.has(["effect", "impact", "affect", "influence", "value"]) {
            intents.append(.parameterEffect)
        }

        let netAsked = text.has(["net profit", "total profit", "how much did", "how much money", "total p", "pnl",
            "p l", "make money", "made money", "overall profit", "overall result", "net result", "profitable overall",
            "total return", "earn"])
        if netAsked && !dimension && !namedPeriod { intents.append(.netProfit) }
        if intents.isEmpty && !analysis.isExplanatory && text.has(["profit", "result", "perform"]) {
            intents.append(.netProfit)
        }

        var seen = Set<QuestionIntent>()
        analysis.intents = intents.filter { seen.insert($0).inserted }
        return analysis
    }

    /// The first capture group of every match of `pattern` (case-insensitive), without repeats, in order.
    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
        var seen = Set<String>()
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
            let value = String(text[range])
            return seen.insert(value).inserted ? value : nil
        }
    }

    /// Hours written as `22:00`, `22h`, `10pm`, `10 am`, `hour 22`.
    private func hours(in question: String) -> [Int] {
        let lower = question.lowercased()
        var result = Set<Int>()
        let patterns: [(String, (Int, String?) -> Int?)] = [
            (#"\b([01]?\d|2[0-3]):[0-5]\d\b"#, { hour, _ in hour }),
            (#"\b([01]?\d|2[0-3])\s?h\b"#, { hour, _ in hour }),
            (#"\bhour\s+([01]?\d|2[0-3])\b"#, { hour, _ in hour }),
            (#"\b(1[0-2]|0?[1-9])\s?(am|pm)\b"#, { hour, suffix in
                suffix == "pm" ? (hour % 12) + 12 : hour % 12
            }),
        ]
        for (pattern, convert) in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(lower.startIndex..., in: lower)
            for match in regex.matches(in: lower, range: range) {
                guard let hourRange = Range(match.range(at: 1), in: lower), let hour = Int(lower[hourRange]) else { continue }
                var suffix: String?
                if match.numberOfRanges > 2, let suffixRange = Range(match.range(at: 2), in: lower) {
                    suffix = String(lower[suffixRange])
                }
                if let value = convert(hour, suffix) { result.insert(value) }
            }
        }
        return result.sorted()
    }

    /// CamelCase or snake_case words (`StopLossPips`, `take_profit_ratio`) and words after "parameter".
    private func parameterHints(in question: String) -> [String] {
        var hints: [String] = []
        let words = question.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init)
        for (index, word) in words.enumerated() {
            let uppercaseInside = word.dropFirst().contains { $0.isUppercase } && word.contains { $0.isLowercase }
            if uppercaseInside || word.contains("_") { hints.append(word) }
            if word.lowercased() == "parameter", index + 1 < words.count { hints.append(words[index + 1]) }
        }
        var seen = Set<String>()
        return hints.filter { seen.insert($0.lowercased()).inserted }
    }
}

/// A question lower-cased with punctuation turned into spaces, for whole-word prefix matching.
struct Normalised {
    let padded: String

    init(_ text: String) {
        let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        let collapsed = String(mapped).split(separator: " ").joined(separator: " ")
        padded = " " + collapsed + " "
    }

    /// True when any phrase occurs at the start of a word (`"lose"` matches "losers").
    func has(_ phrases: [String]) -> Bool {
        phrases.contains { phrase in
            let clean = Normalised.clean(phrase)
            return !clean.isEmpty && padded.contains(" " + clean)
        }
    }

    /// True when `pattern` matches the normalised text.
    func matches(_ pattern: String) -> Bool {
        padded.range(of: pattern, options: .regularExpression) != nil
    }

    private static func clean(_ phrase: String) -> String {
        let mapped = phrase.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        let trailingSpace = phrase.hasSuffix(" ")
        let collapsed = String(mapped).split(separator: " ").joined(separator: " ")
        return trailingSpace ? collapsed + " " : collapsed
    }
}
