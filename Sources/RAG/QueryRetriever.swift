import Foundation

/// The retrieval a `QueryService` uses: hybrid vector + full-text search over the documents.
public protocol QueryRetriever: Sendable {
    /// The embedding model that embeds questions for the vector search.
    var embeddingModelName: String { get async }
    /// Why the built-in offline embedder retrieves instead of Ollama's model; nil when there is nothing to say.
    var embeddingNotice: String? { get async }
    /// Changes in this process to what retrieval reads (`DocumentIndex.generation`); nil when unknown, which
    /// keeps retrievals and answers of this retriever out of the caches.
    var cacheGeneration: Int? { get async }
    /// The best `query.k` documents for the question.
    func retrieve(_ query: RetrievalQuery) async throws -> [RetrievedDocument]
    /// The stored documents with these ids (unknown ids are left out).
    func documents(ids: [String]) async throws -> [RAGDocument]
}

extension QueryRetriever {
    public var embeddingNotice: String? { get async { nil } }
    public var cacheGeneration: Int? { get async { nil } }
}

extension DocumentIndex: QueryRetriever {
    public var embeddingModelName: String { modelName }
    public var cacheGeneration: Int? { generation }
}
