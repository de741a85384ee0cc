import PipsightCore

/// The body of `POST /api/chat`.
struct OllamaChatRequest: Encodable {
    var model: String
    var messages: [ChatMessage]
    var stream: Bool
    var format: OllamaResponseFormat?
    var options: OllamaModelOptions?
    var keepAlive: String?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, format, options
        case keepAlive = "keep_alive"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(messages, forKey: .messages)
        try container.encode(stream, forKey: .stream)
        try container.encodeIfPresent(format, forKey: .format)
        if let options, !options.isEmpty { try container.encode(options, forKey: .options) }
        try container.encodeIfPresent(keepAlive, forKey: .keepAlive)
    }
}
