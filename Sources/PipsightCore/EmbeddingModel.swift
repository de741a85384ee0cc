/// What a text is embedded for: models such as nomic-embed-text want a different prefix for each.
public enum EmbeddingPurpose: String, Sendable, Hashable, Codable {
    /// A question being asked (`search_query:`).
    case query
    /// A document being indexed (`search_document:`).
    case document
}

/// A port: anything that turns texts into unit-length vectors of one fixed dimension
/// (Ollama's `/api/embed`, the built-in offline embedder, a test double).
public protocol EmbeddingModel: Sendable {
    /// The model's name as shown to users and stored next to the vectors (e.g. `nomic-embed-text`).
    var modelName: String { get }
    /// The length of every vector `embed` returns.
    var dimension: Int { get }
    /// Embeds `texts` in order; returns exactly one vector per text or throws.
    func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]]
    /// The longest text, in characters, that the model reads whole (its context window, by a cautious estimate
    /// of characters per token); nil when the model has no such limit or it is unknown. Retrieval sizes its
    /// chunks from it, so that no chunk is cut short by the model.
    var maxInputCharacters: Int? { get }
}

extension EmbeddingModel {
    /// No known limit.
    public var maxInputCharacters: Int? { nil }
}
