import Foundation

/// Builds the evaluation set (at least 40 questions) from an `EvalTruth`: best and worst weekday, hour and
/// month, largest win and loss, streaks, drawdown dates, totals, parameter effects across passes, "why"
/// questions whose answer lies in specific trades, days and groups, and paraphrased "why" questions
/// (`why_paraphrase_*`) that name none of the answer's exact tokens. Expected values come from the truth, never
/// from the code under test.
public enum EvalSet {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// The questions about `report` (a backtest with trades) and `optimisation` (one with passes).
    public static func questions(truth: EvalTruth, report: UUID, optimisation: UUID?) -> [EvalQuestion] {
        var questions: [EvalQuestion] = []
        func add(_ text: String, _ category: String, _ expected: EvalQuestion.Expected?, needs: [String], backtest: UUID? = nil) {
            questions.append(EvalQuestion(
                id: String(format: "q%02d", questions.count + 1), question: text, category: category,
                backtestID: backtest ?? report, expected: expected, neededDocumentIDs: needs))
        }
        func doc(_ kind: DocumentKind, _ key: String? = nil, in backtest: UUID? = nil) -> String {
            RAGDocument.makeID(backtestID: backtest ?? report, kind: kind, key: key)
        }
        let statistics = doc(.statistics)
        let money = { (value: Decimal) in FactFormat.money(value < 0 ? -value : value) }

        // Weekdays.
        if let pair = extremes(truth.netByWeekday) {
            let (best, worst) = pair
            let bestFact = EvalQuestion.Expected(intent: .bestWeekday, key: best.key, amount: best.value, mention: best.key)
            let worstFact = EvalQuestion.Expected(intent: .worstWeekday, key: worst.key, amount: worst.value, mention: worst.key)
            let bestDoc = [doc(.weekday, best.key.lowercased())], worstDoc = [doc(.weekday, worst.key.lowercased())]
            add("Which weekday is the most profitable?", "best_weekday", bestFact, needs: bestDoc)
            add("On which day of the week does this bot make the most money?", "best_weekday", bestFact, needs: bestDoc)
            add("What is the best weekday to trade?", "best_weekday", bestFact, needs: bestDoc)
            add("Which weekday has the best results?", "best_weekday", bestFact, needs: bestDoc)
            add("Which weekday should this bot avoid?", "worst_weekday", worstFact, needs: worstDoc)
            add("Which day of the week loses the most money?", "worst_weekday", worstFact, needs: worstDoc)
            add("What is the worst weekday for this strategy?", "worst_weekday", worstFact, needs: worstDoc)
            add("Why does the bot lose money on \(worst.key)s?", "why_weekday", nil, needs: worstDoc)
            add("Why is \(best.key) the best day for this bot?", "why_weekday", nil, needs: bestDoc)
        }
        // Hours.
        if let pair = extremes(truth.netByOpenHour) {
            let (best, worst) = pair
            let bestFact = EvalQuestion.Expected(intent: .bestHour, key: best.key, amount: best.value, mention: "\(best.key):00")
            let worstFact = EvalQuestion.Expected(intent: .worstHour, key: worst.key, amount: worst.value, mention: "\(worst.key):00")
            add("Which hour of the day is the most profitable?", "best_hour", bestFact, needs: [doc(.hour, best.key)])
            add("What is the best time of day to open trades?", "best_hour", bestFact, needs: [doc(.hour, best.key)])
            add("Which hour of the day loses the most?", "worst_hour", worstFact, needs: [doc(.hour, worst.key)])
            add("At what hour should the bot stop opening trades?", "worst_hour", worstFact, needs: [doc(.hour, worst.key)])
            add("Is there a time of day when the bot loses the most?", "worst_hour", worstFact, needs: [doc(.hour, worst.key)])
            add("Why do trades opened at \(worst.key):00 UTC lose money?", "why_hour", nil, needs: [doc(.hour, worst.key)])
        }
        // Months (close month).
        if let pair = extremes(truth.netByMonth) {
            let (best, worst) = pair
            let name = { (key: String) -> String in
                let parts = key.split(separator: "-")
                guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return key }
                return "\(monthNames[month - 1]) \(parts[0])"
            }
            add("What was the best month?", "best_month",
                .init(intent: .bestMonth, key: best.key, amount: best.value, mention: name(best.key)), needs: [doc(.month, best.key)])
            add("Which month lost the most money?", "worst_month",
                .init(intent: .worstMonth, key: worst.key, amount: worst.value, mention: name(worst.key)), needs: [doc(.month, worst.key)])
            add("What went wrong in \(name(worst.key))?", "why_month", nil, needs: [doc(.month, worst.key)])
        }
        // Single trades.
        if let id = truth.largestLossPositionId {
            let fact = EvalQuestion.Expected(intent: .largestLoss, key: id, amount: truth.largestLoss, mention: money(truth.largestLoss))
            add("What was the largest loss?", "largest_loss", fact, needs: [statistics])
            add("How much did the single biggest losing trade lose?", "largest_loss", fact, needs: [statistics])
            add("Why did trade \(id) lose so much?", "why_trade", nil, needs: [doc(.trade, id)])
        }
        if let id = truth.largestWinPositionId {
            let fact = EvalQuestion.Expected(intent: .largestWin, key: id, amount: truth.largestWin, mention: money(truth.largestWin))
            add("What was the biggest winning trade?", "largest_win", fact, needs: [statistics])
            add("Why was trade \(id) such a big winner?", "why_trade", nil, needs: [doc(.trade, id)])
        }
        for (id, day) in truth.tradesToExplain {
            add("Explain what happened in trade \(id).", "why_trade", nil, needs: [doc(.trade, id)])
            add("Why did the bot trade the way it did on \(day)?", "why_day", nil, needs: [doc(.day, day)])
        }
        // Streaks, drawdown, totals.
        add("What was the longest losing streak?", "streak",
            .init(intent: .longestLosingStreak, amount: Decimal(truth.maxConsecutiveLosses), mention: "\(truth.maxConsecutiveLosses)"),
            needs: [statistics])
        add("How many losing trades in a row at most?", "streak",
            .init(intent: .longestLosingStreak, amount: Decimal(truth.maxConsecutiveLosses), mention: "\(truth.maxConsecutiveLosses)"),
            needs: [statistics])
        add("What was the longest winning streak?", "streak",
            .init(intent: .longestWinningStreak, amount: Decimal(truth.maxConsecutiveWins), mention: "\(truth.maxConsecutiveWins)"),
            needs: [statistics])
        let drawdown = EvalQuestion.Expected(
            intent: .maxDrawdown, amount: truth.maxBalanceDrawdown, start: truth.maxBalanceDrawdownPeakTime,
            end: truth.maxBalanceDrawdownTroughTime, mention: money(truth.maxBalanceDrawdown))
        add("When did the maximum drawdown happen, from which peak to which low?", "drawdown", drawdown, needs: [statistics])
        add("How deep was the largest balance drawdown?", "drawdown", drawdown, needs: [statistics])
        add("What was the total net profit?", "total",
            .init(intent: .netProfit, amount: truth.netProfit, mention: money(truth.netProfit)), needs: [statistics])
        add("How many trades were there?", "total",
            .init(intent: .tradeCount, amount: Decimal(truth.tradeCount), mention: "\(truth.tradeCount)"), needs: [statistics])
        if truth.tradeCount > 0 {
            let rate = FactFormat.decimal(Double(truth.winningTrades) / Double(truth.tradeCount) * 100, places: 1)
            add("What is the win rate?", "total", .init(intent: .winRate, amount: rate, mention: "\(rate)"), needs: [statistics])
        }
        // Optimisation passes.
        if let optimisation, truth.passes.count > 1 {
            let names = Set(truth.passes.flatMap { $0.parameters.keys }).sorted()
            for name in names {
                guard let best = bestValue(of: name, passes: truth.passes) else { continue }
                add("Which \(name) value gave the best results across the optimisation passes?", "parameter_effect",
                    .init(intent: .parameterEffect, key: best, mention: best), needs: [], backtest: optimisation)
            }
            if let best = truth.passes.max(by: { ($0.netProfit, $1.passId) < ($1.netProfit, $0.passId) }) {
                add("Which optimisation pass was the most profitable?", "best_pass",
                    .init(intent: .bestPass, key: "\(best.passId)", amount: best.netProfit, mention: "\(best.passId)"),
                    needs: [RAGDocument.makeID(backtestID: optimisation, kind: .pass, key: "\(best.passId)")],
                    backtest: optimisation)
            }
        }
        // Paraphrased "why" questions: a trader's own words, naming no weekday, hour, month, date, trade id or
        // number, so that no exact token can find the document; only the meaning of the words can. Written once,
        // before any measurement, and not tuned to either embedder's results.
        if let pair = extremes(truth.netByWeekday) {
            let (best, worst) = pair
            add("Why does the strategy struggle so badly on one particular day each week?", "why_paraphrase_weekday",
                nil, needs: [doc(.weekday, worst.key.lowercased())])
            add("What makes the bot's strongest weekday so lucrative?", "why_paraphrase_weekday", nil,
                needs: [doc(.weekday, best.key.lowercased())])
        }
        if let pair = extremes(truth.netByOpenHour) {
            let (best, worst) = pair
            add("Why do entries at the bot's weakest hour end up as losers?", "why_paraphrase_hour", nil,
                needs: [doc(.hour, worst.key)])
            add("Why are positions opened at its strongest hour so rewarding?", "why_paraphrase_hour", nil,
                needs: [doc(.hour, best.key)])
        }
        if let pair = extremes(truth.netByMonth) {
            let (best, worst) = pair
            add("Why was the bot's poorest month such a disaster?", "why_paraphrase_month", nil,
                needs: [doc(.month, worst.key)])
            add("What drove the bot's strongest month?", "why_paraphrase_month", nil, needs: [doc(.month, best.key)])
        }
        if let id = truth.largestLossPositionId {
            add("Why did the single costliest position go so badly?", "why_paraphrase_trade", nil, needs: [doc(.trade, id)])
        }
        if let id = truth.largestWinPositionId {
            add("What made the most rewarding position pay off so well?", "why_paraphrase_trade", nil,
                needs: [doc(.trade, id)])
        }
        return questions
    }

    /// The highest and the lowest net of a breakdown (ties: the earlier key is best, the earlier key is worst).
    static func extremes(_ net: [String: Decimal]) -> (best: (key: String, value: Decimal), worst: (key: String, value: Decimal))? {
        guard let best = net.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
            let worst = net.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })
        else { return nil }
        return (best, worst)
    }

    /// The value of `name` with the highest mean net profit over the passes that have it; nil when it does not vary.
    static func bestValue(of name: String, passes: [EvalPass]) -> String? {
        var groups: [String: (Decimal, Int)] = [:]
        for pass in passes {
            guard let value = pass.parameters[name] else { continue }
            groups[value, default: (0, 0)].0 += pass.netProfit
            groups[value, default: (0, 0)].1 += 1
        }
        guard groups.count > 1 else { return nil }
        return groups.map { ($0.key, $0.value.0 / Decimal($0.value.1)) }.max { $0.1 < $1.1 }?.0
    }
}
