import Foundation
import PostgresStore

/// What the documents of an answer are computed from: the retrieval query, the analysis that links documents to
/// the facts, the stored versions of the backtests in scope and the index's generation and embedding model.
public struct RetrievalCacheKey: Sendable, Hashable {
    public var query: RetrievalQuery
    public var analysis: QuestionAnalysis
    public var versions: [BacktestVersion]
    public var indexGeneration: Int
    public var embeddingModel: String
}

/// The documents of an answer: those retrieved for the question and those linked from its facts.
public struct RetrievalOutcome: Sendable {
    public var retrieved: [RetrievedDocument]
    public var linked: [RAGDocument]
}
