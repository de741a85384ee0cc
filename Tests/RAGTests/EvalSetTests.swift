import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

@testable import RAG

@Suite("Evaluation set and grading")
struct EvalSetTests {
    static let generator = SampleGenerator(seed: 11, trades: 300)

    /// The evaluation truth from the generator (as `pipsight eval` builds it).
    static func truth() -> (EvalTruth, Data) {
        let truth = generator.groundTruth
        let trades = generator.pipsightTrades()
        let optres = generator.write(.optres)
        let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        return (
            EvalTruth(
                tradeCount: truth.tradeCount, winningTrades: truth.winningTrades, netProfit: truth.netProfit,
                largestWin: truth.largestWin, largestWinPositionId: truth.largestWinPositionId,
                largestLoss: truth.largestLoss, largestLossPositionId: truth.largestLossPositionId,
                maxConsecutiveWins: truth.maxConsecutiveWins, maxConsecutiveLosses: truth.maxConsecutiveLosses,
                maxBalanceDrawdown: truth.maxBalanceDrawdown,
                maxBalanceDrawdownPeakTime: truth.maxBalanceDrawdownPeakTime,
                maxBalanceDrawdownTroughTime: truth.maxBalanceDrawdownTroughTime, netByWeekday: truth.netByWeekday,
                netByOpenHour: truth.netByOpenHour, netByMonth: truth.netByMonth,
                tradesToExplain: [trades[0], trades[150]].map { ($0.positionId, $0.openTime.formatted(day)) },
                passes: EvalPass.passes(fromOptres: optres)),
            optres
        )
    }

    @Test("at least 40 questions covering every required category")
    func coverage() {
        let questions = EvalSet.questions(truth: Self.truth().0, report: UUID(), optimisation: UUID())
        #expect(questions.count >= 40)
        let categories = Set(questions.map(\.category))
        for category in [
            "best_weekday", "worst_weekday", "best_hour", "worst_hour", "largest_loss", "streak", "drawdown",
            "parameter_effect", "why_trade", "why_day", "why_weekday",
        ] {
            #expect(categories.contains(category), "missing \(category)")
        }
        #expect(Set(questions.map(\.id)).count == questions.count)
        #expect(questions.filter { $0.category == "parameter_effect" }.count == 5)
    }

    @Test("paraphrased \"why\" questions name no exact token of their answer")
    func paraphrasedQuestions() {
        let report = UUID()
        let questions = EvalSet.questions(truth: Self.truth().0, report: report, optimisation: UUID())
        let paraphrased = questions.filter { $0.category.hasPrefix(EvalReport.paraphrasePrefix) }
        #expect(paraphrased.count >= 6)
        #expect(Set(paraphrased.map(\.category)).count == 4)
        let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let months = EvalSet.monthNames.map { $0.lowercased() }
        for question in paraphrased {
            let text = question.question.lowercased()
            #expect(question.expected == nil)
            #expect(question.neededDocumentIDs.count == 1)
            let hasDigit = text.contains { $0.isNumber }
            #expect(!hasDigit, "\(question.question)")
            for name in weekdays + months { #expect(!text.contains(name), "\(question.question) names \(name)") }
        }
        // Each points at the group or trade document the ground truth picks, never at the statistics document.
        let statistics = RAGDocument.makeID(backtestID: report, kind: .statistics, key: nil)
        #expect(!paraphrased.contains { $0.neededDocumentIDs == [statistics] })
        let truth = Self.truth().0
        let worstWeekday = truth.netByWeekday.min { ($0.value, $0.key) < ($1.value, $1.key) }?.key.lowercased()
        #expect(paraphrased.first { $0.category == "why_paraphrase_weekday" }?.neededDocumentIDs
            == [RAGDocument.makeID(backtestID: report, kind: .weekday, key: worstWeekday)])
    }

    @Test("grading: a wrong key fails the fact; recall@5 counts needed documents in the top 5 only")
    func grading() {
        let backtest = UUID()
        let fact = Fact(
            id: "F1", intent: .worstWeekday, backtestID: backtest, label: "Worst weekday", value: "Friday", key: "Friday",
            amount: -5, source: "SQL")
        let documents = (1...6).map { n in
            RetrievedDocument(
                document: RAGDocument(id: "d\(n)", backtestID: backtest, kind: .trade, title: "T\(n)", text: ""),
                score: 1 / Double(n), vectorRank: n, textRank: nil)
        }
        let response = QueryResponse(
            question: "q", answer: "Worst weekday: Friday", mode: .offline, notice: nil, intents: [.worstWeekday],
            citations: Citations(facts: [fact], documents: documents, answer: ""),
            models: QueryModels(chat: nil, embedding: "e"), timings: QueryTimings())
        let right = EvalQuestion(
            id: "q1", question: "q", category: "worst_weekday", backtestID: backtest,
            expected: .init(intent: .worstWeekday, key: "Friday", amount: -5, mention: "Friday"),
            neededDocumentIDs: ["d2", "d6"])
        let graded = EvalRunner.grade(right, response)
        #expect(graded.factCorrect == true)
        #expect(graded.answerMentions == true)
        #expect(graded.recallAt5 == 0.5)
        var wrong = right
        wrong.expected?.key = "Monday"
        wrong.expected?.mention = "Monday"
        #expect(EvalRunner.grade(wrong, response).factCorrect == false)
        #expect(EvalRunner.grade(wrong, response).answerMentions == false)
    }

    @Test("offline over a stored, indexed sample: every numeric answer is right")
    func offlineAccuracy() async throws {
        let (truth, optres) = Self.truth()
        let report = try await TestDatabase.withStore { store, _ in
            let report = try await store.ingest(ImportInput(name: "r.json", data: Self.generator.write(.reportJSON))).backtestID
            let optimisation = try await store.ingest(ImportInput(name: "o.optres", data: optres)).backtestID
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            try await index.index(backtestID: report)
            try await index.index(backtestID: optimisation)
            let service = QueryService(
                facts: FactBuilder(source: store, logger: TestDatabase.logger), retriever: index,
                models: .offlineOnly(reason: "test", logger: TestDatabase.logger), logger: TestDatabase.logger)
            return try await EvalRunner(service: service, vectorIndex: index).run(
                EvalSet.questions(truth: truth, report: report, optimisation: optimisation))
        }
        // The vector list alone is graded exactly where documents are needed, and finds some of them.
        for result in report.results {
            #expect((result.vectorRecallAt5 == nil) == (result.recallAt5 == nil), "\(result.id)")
        }
        #expect((report.vectorRecallAt5 ?? 0) > 0)
        #expect(report.whyVectorRecallAt5 != nil)
        #expect(report.paraphraseQuestions >= 6)
        #expect(report.paraphraseVectorRecallAt5 != nil)
        let wrong = report.results.filter { $0.factCorrect == false }.map { "\($0.id) \($0.question) got \($0.got ?? "-")" }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(report.numericAccuracy == 1)
        #expect(report.mentionRate == 1)
        #expect(report.mode == .offline)
    }
}
