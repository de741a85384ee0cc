import PipsightCore

/// An `EmbeddingModel` that remembers the vectors of single questions (`purpose` `.query`) by text: the same
/// question embeds once, whatever backtests or filters it is asked with. Exact: an embedding model maps a text to
/// one vector. Documents (`.document`) are embedded once each at indexing and go straight to the model.
public struct CachingEmbeddingModel: EmbeddingModel {
    /// The model whose query vectors are remembered.
    public let base: any EmbeddingModel
    /// Vectors by question text (the model is fixed for this wrapper).
    public let cache: LRUCache<String, [Float]>

    public init(_ base: any EmbeddingModel, cache: LRUCache<String, [Float]>) {
        self.base = base
        self.cache = cache
    }

    public var modelName: String { base.modelName }
    public var dimension: Int { base.dimension }

    public func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        guard purpose == .query, texts.count == 1, cache.isEnabled else {
            return try await base.embed(texts, purpose: purpose)
        }
        if let vector = cache.value(forKey: texts[0]) { return [vector] }
        let vectors = try await base.embed(texts, purpose: purpose)
        if vectors.count == 1 { cache.setValue(vectors[0], forKey: texts[0]) }
        return vectors
    }
}
