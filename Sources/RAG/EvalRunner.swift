import Foundation

/// Asks every evaluation question through a `QueryService` and grades the answers: the numeric fact against
/// the expected value, the answer text for a mention of it, and recall@5 of the needed documents — of the answer,
/// of hybrid retrieval alone and, given the index, of its vector list alone (the embedder's own contribution).
public struct EvalRunner: Sendable {
    public var service: QueryService
    /// When set, each question needing documents is also asked of this index's vector list alone.
    public var vectorIndex: DocumentIndex?

    public init(service: QueryService, vectorIndex: DocumentIndex? = nil) {
        self.service = service
        self.vectorIndex = vectorIndex
    }

    public func run(_ questions: [EvalQuestion], progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> EvalReport {
        var results: [EvalResult] = []
        var mode = AnswerMode.offline
        var chat: String?
        var embedding = ""
        for (index, question) in questions.enumerated() {
            let response = try await service.answer(
                QueryRequest(question: question.question, backtestIds: [question.backtestID], k: 5))
            mode = response.mode
            chat = response.models.chat ?? chat
            embedding = response.models.embedding
            var result = Self.grade(question, response)
            if let vectorIndex, !question.neededDocumentIDs.isEmpty {
                let hits = try await vectorIndex.retrieve(
                    RetrievalQuery(text: question.question, backtestIDs: [question.backtestID], k: 5), mode: .vectorOnly)
                result.vectorRecallAt5 = Self.recall(of: question, in: hits.map(\.document.id))
            }
            results.append(result)
            progress?(index + 1, questions.count)
        }
        return EvalReport(mode: mode, chatModel: chat, embeddingModel: embedding, results: results)
    }

    /// Grades one answer.
    public static func grade(_ question: EvalQuestion, _ response: QueryResponse) -> EvalResult {
        let retrieved = response.citations.documents.map(\.id)
        var result = EvalResult(
            id: question.id, category: question.category, question: question.question, factCorrect: nil,
            answerMentions: nil, got: nil, recallAt5: nil, retrievalRecallAt5: nil, retrievedIDs: retrieved,
            totalMs: response.timings.totalMs)
        if !question.neededDocumentIDs.isEmpty {
            result.recallAt5 = recall(of: question, in: retrieved)
            result.retrievalRecallAt5 = recall(of: question, in: response.citations.documents.filter(\.retrieved).map(\.id))
        }
        if let expected = question.expected {
            let candidates = response.citations.facts.filter { $0.intent == expected.intent }
            result.factCorrect = candidates.contains { matches($0, expected) }
            result.got = candidates.map { $0.key ?? $0.value }.joined(separator: ", ")
            result.answerMentions = response.answer.contains(expected.mention)
        }
        return result
    }

    /// Needed documents among the first five of `ids`, over needed documents.
    static func recall(of question: EvalQuestion, in ids: [String]) -> Double {
        let top = Set(ids.prefix(5))
        return Double(question.neededDocumentIDs.filter(top.contains).count) / Double(question.neededDocumentIDs.count)
    }

    static func matches(_ fact: Fact, _ expected: EvalQuestion.Expected) -> Bool {
        if let key = expected.key, fact.key != key { return false }
        if let amount = expected.amount, fact.amount != amount { return false }
        if expected.start != nil || expected.end != nil {
            let minute = { (date: Date?) in date.map { FactFormat.time($0) } }
            if minute(fact.startTime) != minute(expected.start) || minute(fact.endTime) != minute(expected.end) {
                return false
            }
        }
        return true
    }
}
