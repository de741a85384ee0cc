import Foundation

/// A retriever opened on first use (the server builds its routes before migrations have run): the
/// `DocumentIndex` is opened by `open` once, then every query goes to it. A failed open is retried next time.
public actor LazyQueryRetriever: QueryRetriever {
    private let open: @Sendable () async throws -> any QueryRetriever
    private var opened: (any QueryRetriever)?
    /// The embedding model's name, known before the index is opened.
    public nonisolated let expectedModelName: String

    public init(modelName: String, open: @escaping @Sendable () async throws -> any QueryRetriever) {
        self.open = open
        self.expectedModelName = modelName
    }

    public var embeddingModelName: String {
        get async {
            if let opened { return await opened.embeddingModelName }
            return expectedModelName
        }
    }

    public var embeddingNotice: String? {
        get async { await opened?.embeddingNotice }
    }

    public var cacheGeneration: Int? {
        get async { await opened?.cacheGeneration }
    }

    public func retrieve(_ query: RetrievalQuery) async throws -> [RetrievedDocument] {
        try await retriever().retrieve(query)
    }

    public func documents(ids: [String]) async throws -> [RAGDocument] {
        try await retriever().documents(ids: ids)
    }

    /// The retriever if it is open already (nil: not yet opened, or the last open failed).
    public var openedRetriever: (any QueryRetriever)? { opened }

    /// The opened retriever, opening it if needed.
    public func retriever() async throws -> any QueryRetriever {
        if let opened { return opened }
        let retriever = try await open()
        opened = retriever
        return retriever
    }
}
