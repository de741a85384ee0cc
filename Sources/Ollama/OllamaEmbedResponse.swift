/// The answer of `POST /api/embed`: one vector per input, in input order, plus Ollama's timings.
public struct OllamaEmbedResponse: Sendable, Hashable, Decodable {
    /// The model that answered.
    public var model: String?
    /// One vector per input, in order (Ollama returns them L2-normalised).
    public var embeddings: [[Float]]
    /// Nanoseconds spent in all (Ollama's `total_duration`).
    public var totalDuration: Int64?
    /// Nanoseconds spent loading the model (Ollama's `load_duration`).
    public var loadDuration: Int64?
    /// Tokens read (Ollama's `prompt_eval_count`).
    public var promptEvalCount: Int?

    public init(model: String?, embeddings: [[Float]], totalDuration: Int64? = nil, loadDuration: Int64? = nil,
                promptEvalCount: Int? = nil) {
        self.model = model
        self.embeddings = embeddings
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
    }

    enum CodingKeys: String, CodingKey {
        case model, embeddings
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
    }
}

/// The body of `POST /api/embed`.
struct OllamaEmbedRequest: Encodable {
    var model: String
    var input: [String]
    var truncate: Bool
    var keepAlive: String?
    var dimensions: Int?
    var options: OllamaModelOptions?

    enum CodingKeys: String, CodingKey {
        case model, input, truncate, dimensions, options
        case keepAlive = "keep_alive"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(input, forKey: .input)
        try container.encode(truncate, forKey: .truncate)
        try container.encodeIfPresent(keepAlive, forKey: .keepAlive)
        try container.encodeIfPresent(dimensions, forKey: .dimensions)
        try container.encodeIfPresent(options, forKey: .options)
    }
}
