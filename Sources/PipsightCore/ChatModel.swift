/// One message of a chat conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote a message.
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// Generation settings passed to a chat model; `nil` leaves the model's own default.
public struct ChatOptions: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var seed: Int?
    /// Context window in tokens (Ollama's `num_ctx`).
    public var contextTokens: Int?
    /// Upper bound on generated tokens (Ollama's `num_predict`).
    public var maxTokens: Int?

    public init(temperature: Double? = nil, seed: Int? = nil, contextTokens: Int? = nil, maxTokens: Int? = nil) {
        self.temperature = temperature
        self.seed = seed
        self.contextTokens = contextTokens
        self.maxTokens = maxTokens
    }
}

/// A port: a language model that answers a conversation, streaming its reply as text fragments.
public protocol ChatModel: Sendable {
    /// The model's name as shown to users (e.g. `llama3.2`).
    var modelName: String { get }
    /// Streams the reply to `messages` fragment by fragment; the stream throws on a transport or model error,
    /// including one reported in the middle of the reply.
    func streamChat(_ messages: [ChatMessage], options: ChatOptions) -> AsyncThrowingStream<String, any Error>
}
