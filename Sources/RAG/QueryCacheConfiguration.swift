/// How many entries each of the query caches keeps (`QueryCaches`); 0 switches that cache off.
public struct QueryCacheConfiguration: Sendable, Hashable {
    /// Facts per (backtest version, question analysis, time range) (`PIPSIGHT_FACTS_CACHE_SIZE`).
    public var facts: Int
    /// Whole answers per request and what they were computed from (`PIPSIGHT_ANSWER_CACHE_SIZE`).
    public var answers: Int
    /// Retrieved and linked documents per retrieval (`PIPSIGHT_RETRIEVAL_CACHE_SIZE`).
    public var retrievals: Int
    /// Question vectors per question text (`PIPSIGHT_EMBEDDING_CACHE_SIZE`).
    public var embeddings: Int

    public init(facts: Int = 4_096, answers: Int = 1_024, retrievals: Int = 1_024, embeddings: Int = 4_096) {
        self.facts = facts
        self.answers = answers
        self.retrievals = retrievals
        self.embeddings = embeddings
    }

    /// Every cache off: each question is answered from scratch.
    public static let disabled = QueryCacheConfiguration(facts: 0, answers: 0, retrievals: 0, embeddings: 0)
}
