import Foundation

/// The model names an answer used.
public struct QueryModels: Codable, Sendable, Hashable {
    /// The chat model; nil in offline mode.
    public var chat: String?
    /// The embedding model of the retrieval (`offline-hash-…` for the built-in embedder).
    public var embedding: String
    /// Why the built-in offline embedder retrieved instead of Ollama's embedding model (nil otherwise).
    public var embeddingNotice: String?

    public init(chat: String?, embedding: String, embeddingNotice: String? = nil) {
        self.chat = chat
        self.embedding = embedding
        self.embeddingNotice = embeddingNotice
    }
}

/// Where the time of an answer went, in milliseconds, and whether it was replayed from the answer cache.
public struct QueryTimings: Codable, Sendable, Hashable {
    public var analysisMs: Double = 0
    public var factsMs: Double = 0
    public var retrievalMs: Double = 0
    public var generationMs: Double = 0
    public var totalMs: Double = 0
    /// `hit`: the answer was replayed from the answer cache (only `totalMs` is set); `miss`: it was computed and
    /// kept; nil: the answer cache was not used (off, or an answer that is not replayable).
    public var cache: QueryCacheStatus?

    public init(cache: QueryCacheStatus? = nil) {
        self.cache = cache
    }
}

/// Whether an answer came from the answer cache.
public enum QueryCacheStatus: String, Codable, Sendable, Hashable {
    case hit
    case miss
}

/// The complete answer to a question (the final event of a stream, the body of a non-streamed response).
public struct QueryResponse: Codable, Sendable, Hashable {
    public var question: String
    public var answer: String
    public var mode: AnswerMode
    /// Set when no language model wrote the answer, or when Ollama failed and the offline answer replaced it.
    public var notice: String?
    public var intents: [QuestionIntent]
    public var citations: Citations
    public var models: QueryModels
    public var timings: QueryTimings
}

/// One event of a streamed answer: text as it is written, then the complete response.
public enum QueryEvent: Sendable {
    case token(String)
    case done(QueryResponse)
}
