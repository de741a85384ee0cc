import PipsightCore

/// Ollama's `format` for structured output: any JSON, or JSON that follows a schema.
public enum OllamaResponseFormat: Sendable, Hashable, Encodable {
    /// `"format": "json"`.
    case json
    /// `"format": { …JSON schema… }`.
    case schema(JSONValue)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .json: try container.encode("json")
        case .schema(let schema): try container.encode(schema)
        }
    }
}
