import Foundation

/// A `DocumentIndex` opened with the embedder an `EmbedderSelection` chose, carrying the selection's notice so the
/// answer says which embedder retrieved and why.
public struct SelectedEmbedderRetriever: QueryRetriever {
    public let index: DocumentIndex
    public let selection: EmbedderSelection

    public init(index: DocumentIndex, selection: EmbedderSelection) {
        self.index = index
        self.selection = selection
    }

    public var embeddingModelName: String { index.modelName }
    public var embeddingNotice: String? { selection.notice }
    public var cacheGeneration: Int? { index.generation }

    public func retrieve(_ query: RetrievalQuery) async throws -> [RetrievedDocument] {
        try await index.retrieve(query)
    }

    public func documents(ids: [String]) async throws -> [RAGDocument] {
        try await index.documents(ids: ids)
    }
}
