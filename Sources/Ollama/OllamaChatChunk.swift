/// One NDJSON line of a streamed `POST /api/chat` answer (and the whole answer when not streamed): a fragment
/// of the assistant's message, then a final line with `done: true` and the timings. A line may instead carry
/// `error`, which Ollama sends when the model fails mid-answer.
public struct OllamaChatChunk: Sendable, Hashable, Decodable {
    /// The message fragment.
    public struct Message: Sendable, Hashable, Decodable {
        public var role: String?
        public var content: String?
        /// Reasoning text of thinking models, when asked for.
        public var thinking: String?
    }

    public var model: String?
    public var createdAt: String?
    public var message: Message?
    public var done: Bool?
    /// `stop`, `length` (num_predict reached), `load`, …
    public var doneReason: String?
    public var totalDuration: Int64?
    public var loadDuration: Int64?
    public var promptEvalCount: Int?
    public var promptEvalDuration: Int64?
    public var evalCount: Int?
    public var evalDuration: Int64?
    /// Set when Ollama reports a failure on this line.
    public var error: String?

    /// The text this line adds to the answer.
    public var content: String { message?.content ?? "" }
    /// Whether this is the last line.
    public var isDone: Bool { done ?? false }

    enum CodingKeys: String, CodingKey {
        case model, message, done, error
        case createdAt = "created_at"
        case doneReason = "done_reason"
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
        case promptEvalDuration = "prompt_eval_duration"
        case evalCount = "eval_count"
        case evalDuration = "eval_duration"
    }
}
