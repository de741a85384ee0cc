import Foundation

/// The outcome of one evaluation question.
public struct EvalResult: Codable, Sendable, Hashable {
    public var id: String
    public var category: String
    public var question: String
    /// Numeric questions: the fact came back with the expected key, amount and dates.
    public var factCorrect: Bool?
    /// Numeric questions: the answer text mentions the expected value.
    public var answerMentions: Bool?
    /// What the fact said (`Friday`, `-310.20`), for the report.
    public var got: String?
    /// Needed documents found in the top 5, over needed documents; nil when none are needed.
    public var recallAt5: Double?
    /// The same, counting only what hybrid retrieval found (without the fact-linked documents).
    public var retrievalRecallAt5: Double?
    /// The same for the vector list alone (no full text, no fusion): the embedder's own retrieval; nil when the
    /// evaluation was run without an index to ask directly.
    public var vectorRecallAt5: Double? = nil
    public var retrievedIDs: [String]
    public var totalMs: Double
}

/// The whole evaluation for one answer mode.
public struct EvalReport: Codable, Sendable, Hashable {
    public var mode: AnswerMode
    public var chatModel: String?
    public var embeddingModel: String
    public var results: [EvalResult]

    /// Correct facts over numeric questions.
    public var numericAccuracy: Double {
        let graded = results.compactMap(\.factCorrect)
        return graded.isEmpty ? 0 : Double(graded.filter { $0 }.count) / Double(graded.count)
    }

    /// Answers that mention the expected value over numeric questions.
    public var mentionRate: Double {
        let graded = results.compactMap(\.answerMentions)
        return graded.isEmpty ? 0 : Double(graded.filter { $0 }.count) / Double(graded.count)
    }

    /// Mean recall@5 over the questions that need documents.
    public var recallAt5: Double {
        let graded = results.compactMap(\.recallAt5)
        return graded.isEmpty ? 0 : graded.reduce(0, +) / Double(graded.count)
    }

    /// Mean recall@5 of hybrid retrieval alone.
    public var retrievalRecallAt5: Double {
        let graded = results.compactMap(\.retrievalRecallAt5)
        return graded.isEmpty ? 0 : graded.reduce(0, +) / Double(graded.count)
    }

    /// Mean recall@5 of hybrid retrieval alone over the "why" questions (categories `why_*`), where the answer
    /// depends on finding the right document rather than on a computed fact.
    public var whyRetrievalRecallAt5: Double {
        let graded = results.filter { $0.category.hasPrefix("why_") }.compactMap(\.retrievalRecallAt5)
        return graded.isEmpty ? 0 : graded.reduce(0, +) / Double(graded.count)
    }

    /// Mean recall@5 of the vector list alone (the embedder itself); nil when not measured.
    public var vectorRecallAt5: Double? { Self.mean(results.compactMap(\.vectorRecallAt5)) }

    /// Mean recall@5 of the vector list alone over the "why" questions; nil when not measured.
    public var whyVectorRecallAt5: Double? {
        Self.mean(results.filter { $0.category.hasPrefix("why_") }.compactMap(\.vectorRecallAt5))
    }

    /// Mean recall@5 of hybrid retrieval alone over the paraphrased "why" questions (categories
    /// `why_paraphrase_*`, which name none of the answer's exact tokens); nil when there are none.
    public var paraphraseRetrievalRecallAt5: Double? {
        Self.mean(results.filter { $0.category.hasPrefix(Self.paraphrasePrefix) }.compactMap(\.retrievalRecallAt5))
    }

    /// Mean recall@5 of the vector list alone over the paraphrased "why" questions; nil when not measured.
    public var paraphraseVectorRecallAt5: Double? {
        Self.mean(results.filter { $0.category.hasPrefix(Self.paraphrasePrefix) }.compactMap(\.vectorRecallAt5))
    }

    /// The number of paraphrased "why" questions graded for recall.
    public var paraphraseQuestions: Int {
        results.filter { $0.category.hasPrefix(Self.paraphrasePrefix) }.compactMap(\.retrievalRecallAt5).count
    }

    /// The category prefix of the paraphrased "why" questions.
    public static let paraphrasePrefix = "why_paraphrase_"

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The number of "why" questions graded for recall.
    public var whyQuestions: Int { results.filter { $0.category.hasPrefix("why_") }.compactMap(\.retrievalRecallAt5).count }

    public var numericQuestions: Int { results.compactMap(\.factCorrect).count }
    public var retrievalQuestions: Int { results.compactMap(\.recallAt5).count }

    /// Median and 95th percentile of the answer time, in milliseconds.
    public var latencyMs: (p50: Double, p95: Double) {
        let sorted = results.map(\.totalMs).sorted()
        guard !sorted.isEmpty else { return (0, 0) }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
        return (at(0.5), at(0.95))
    }

    enum CodingKeys: String, CodingKey {
        case mode, chatModel, embeddingModel, results, numericAccuracy, mentionRate, recallAt5, retrievalRecallAt5
        case whyRetrievalRecallAt5, vectorRecallAt5, whyVectorRecallAt5
        case paraphraseRetrievalRecallAt5, paraphraseVectorRecallAt5
    }

    public init(mode: AnswerMode, chatModel: String?, embeddingModel: String, results: [EvalResult]) {
        self.mode = mode
        self.chatModel = chatModel
        self.embeddingModel = embeddingModel
        self.results = results
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decode(AnswerMode.self, forKey: .mode)
        chatModel = try container.decodeIfPresent(String.self, forKey: .chatModel)
        embeddingModel = try container.decode(String.self, forKey: .embeddingModel)
        results = try container.decode([EvalResult].self, forKey: .results)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encodeIfPresent(chatModel, forKey: .chatModel)
        try container.encode(embeddingModel, forKey: .embeddingModel)
        try container.encode(results, forKey: .results)
        try container.encode(numericAccuracy, forKey: .numericAccuracy)
        try container.encode(mentionRate, forKey: .mentionRate)
        try container.encode(recallAt5, forKey: .recallAt5)
        try container.encode(retrievalRecallAt5, forKey: .retrievalRecallAt5)
        try container.encode(whyRetrievalRecallAt5, forKey: .whyRetrievalRecallAt5)
        try container.encodeIfPresent(vectorRecallAt5, forKey: .vectorRecallAt5)
        try container.encodeIfPresent(whyVectorRecallAt5, forKey: .whyVectorRecallAt5)
        try container.encodeIfPresent(paraphraseRetrievalRecallAt5, forKey: .paraphraseRetrievalRecallAt5)
        try container.encodeIfPresent(paraphraseVectorRecallAt5, forKey: .paraphraseVectorRecallAt5)
    }
}
