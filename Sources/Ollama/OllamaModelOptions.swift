import PipsightCore

/// Ollama's `options` object: the model parameters Pipsight sets (others keep the model's defaults).
public struct OllamaModelOptions: Sendable, Hashable, Encodable {
    public var temperature: Double?
    public var seed: Int?
    /// Context window in tokens.
    public var numCtx: Int?
    /// Most tokens to generate.
    public var numPredict: Int?

    public init(temperature: Double? = nil, seed: Int? = nil, numCtx: Int? = nil, numPredict: Int? = nil) {
        self.temperature = temperature
        self.seed = seed
        self.numCtx = numCtx
        self.numPredict = numPredict
    }

    /// The Ollama spelling of the port's generation settings.
    public init(_ options: ChatOptions) {
        self.init(temperature: options.temperature, seed: options.seed, numCtx: options.contextTokens,
                  numPredict: options.maxTokens)
    }

    /// True when nothing is set (the `options` key is then left out).
    public var isEmpty: Bool { temperature == nil && seed == nil && numCtx == nil && numPredict == nil }

    enum CodingKeys: String, CodingKey {
        case temperature, seed
        case numCtx = "num_ctx"
        case numPredict = "num_predict"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(temperature, forKey: .temperature)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encodeIfPresent(numCtx, forKey: .numCtx)
        try container.encodeIfPresent(numPredict, forKey: .numPredict)
    }
}
