import Foundation
import Testing

@testable import RAG

@Suite("QuestionAnalyser: numeric questions become intents")
struct QueryAnalysisTests {
    let analyser = QuestionAnalyser()

    @Test(
        "each kind of numeric question maps to its intent",
        arguments: [
            ("Which weekday is the most profitable?", [QuestionIntent.bestWeekday]),
            ("Which weekdays should this bot avoid?", [.worstWeekday]),
            ("Which day of the week loses the most money?", [.worstWeekday]),
            ("What is the worst hour to trade?", [.worstHour]),
            ("Which hour of the day makes the most money?", [.bestHour]),
            ("What was the best month?", [.bestMonth]),
            ("What was my largest loss?", [.largestLoss]),
            ("What was the biggest winning trade?", [.largestWin]),
            ("What is the longest losing streak?", [.longestLosingStreak]),
            ("How many winning trades in a row at most?", [.longestWinningStreak]),
            ("When was the maximum drawdown?", [.maxDrawdown]),
            ("What is the win rate?", [.winRate]),
            ("What is the profit factor?", [.profitFactor]),
            ("How many trades were there?", [.tradeCount]),
            ("What was the total net profit?", [.netProfit]),
            ("Which symbol performed worst?", [.worstSymbol]),
        ])
    func intents(question: String, expected: [QuestionIntent]) {
        #expect(analyser.analyse(question).intents == expected)
    }

    @Test("a dimension without best or worst asks for both")
    func both() {
        #expect(analyser.analyse("How does the result vary by weekday?").intents == [.bestWeekday, .worstWeekday])
    }

    @Test("named weekdays, months and hours are read; why questions are explanatory")
    func named() {
        let analysis = analyser.analyse("Why did March lose money on Fridays after 22:00?")
        #expect(analysis.isExplanatory)
        #expect(analysis.weekdays == ["Friday"])
        #expect(analysis.months == [3])
        #expect(analysis.hours == [22])
        #expect(analysis.intents.contains(.namedMonth))
        #expect(analysis.intents.contains(.namedWeekday))
        #expect(analysis.intents.contains(.namedHour))
        #expect(analyser.analyse("what happened at 10pm").hours == [22])
    }

    @Test("parameter questions ask for the effect across passes; CamelCase names are hints")
    func parameters() {
        let analysis = analyser.analyse("What is the effect of StopLossPips across the optimisation passes?")
        #expect(analysis.intents.contains(.parameterEffect))
        #expect(analysis.parameterHints == ["StopLossPips"])
        #expect(analyser.analyse("Which pass was the most profitable in the optimisation?").intents.contains(.bestPass))
    }

    @Test("trade ids, days and years named in the question are read")
    func references() {
        let analysis = analyser.analyse("Why did trade 586 and position #12 lose on 2024-06-19 and in March 2025?")
        #expect(analysis.tradeReferences == ["586", "12"])
        #expect(analysis.days == ["2024-06-19"])
        #expect(analysis.years == [2025])
    }

    @Test("a narrative question has no numeric intent")
    func narrative() {
        let analysis = analyser.analyse("Why was trade 42 closed early?")
        #expect(analysis.intents.isEmpty)
        #expect(analysis.isExplanatory)
    }
}
