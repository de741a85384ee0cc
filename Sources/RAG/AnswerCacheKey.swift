import Foundation
import PipsightCore
import PostgresStore

/// Everything a whole answer is computed from: the request (question, scope, time range, k), the stored
/// versions of the backtests in scope, the index's generation and embedding model, and the writer — the chat
/// model with its options and the prompt templates' version, or the offline extractor (`chat` nil).
public struct AnswerCacheKey: Sendable, Hashable {
    public var question: String
    public var backtestIDs: [UUID]
    public var timeRange: ClosedRange<Date>?
    public var k: Int
    public var versions: [BacktestVersion]
    public var indexGeneration: Int
    public var embeddingModel: String
    /// The chat model's name; nil for the offline answer.
    public var chat: String?
    public var options: ChatOptions?
    /// `PromptTemplateCache`'s stamp of the templates used (Ollama answers only).
    public var prompts: String?
    /// Why no model was used (part of an offline answer).
    public var offlineReason: String?
}

/// A stored answer: the fragments as they were streamed (replayed the same way) and the response sent after
/// them (its timings are replaced on a hit).
public struct CachedAnswer: Sendable {
    public var fragments: [String]
    public var response: QueryResponse
}
