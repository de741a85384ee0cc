import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import MiniLM
import Ollama
import PipsightCore
import PostgresStore

extension QueryService {
    /// The service as the CLI and the server run it: facts from `store`, retrieval through a `DocumentIndex`
    /// over `store` (opened on first use) with the embedder `EmbedderSelection.select` chooses at that moment
    /// (`PIPSIGHT_EMBEDDER`; by default Ollama's embedding model when it answers and the model is pulled, else the
    /// built-in all-minilm), and answers from Ollama's chat model whenever a probe finds it (`ollama` nil or
    /// `offline` true: always the offline default). Documents the chosen model has not embedded yet are embedded
    /// when the index opens.
    /// The embedder's calls are recorded in `metricsFactory` (`MeasuredEmbeddingModel`). With `caches`, answers,
    /// retrievals, facts and question vectors are reused while exact (`QueryCaches`).
    public static func standard(
        store: BacktestStore, ollama: OllamaClient?, offline: Bool = false,
        promptsDirectory: URL = PromptTemplates.locate(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, caches: QueryCaches? = nil
    ) -> QueryService {
        let retriever = LazyQueryRetriever(modelName: MiniLMEmbeddingModel.name) {
            try await openIndex(
                store: store, ollama: ollama, offline: offline, logger: logger, metricsFactory: metricsFactory,
                embeddingCache: caches?.embeddings)
        }
        let models: ModelSelector
        if let ollama, !offline {
            models = .ollama(client: ollama, logger: logger)
        } else {
            models = .offlineOnly(
                reason: offline ? "offline mode was asked for" : "no Ollama client is configured", logger: logger)
        }
        return QueryService(
            facts: FactBuilder(source: store, logger: logger), retriever: retriever, models: models,
            promptsDirectory: promptsDirectory, logger: logger
        ).withCaches(caches)
    }

    /// Chooses the embedder (`choice`, nil: `PIPSIGHT_EMBEDDER`), opens the index with it and embeds the documents
    /// that model has not embedded yet (after a switch of model, every document once). The embedder's calls are
    /// recorded in `metricsFactory`; with `embeddingCache`, question vectors are remembered by text.
    public static func openIndex(
        store: BacktestStore, ollama: OllamaClient?, offline: Bool = false, choice: EmbedderChoice? = nil,
        configuration: DocumentIndexConfiguration = .init(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, embeddingCache: LRUCache<String, [Float]>? = nil
    ) async throws -> SelectedEmbedderRetriever {
        var selection = try await EmbedderSelection.select(
            choice: choice ?? EmbedderChoice.fromEnvironment(), client: ollama, offline: offline, logger: logger)
        selection.embedder = MeasuredEmbeddingModel(selection.embedder, factory: metricsFactory)
        if let embeddingCache, embeddingCache.isEnabled {
            selection.embedder = CachingEmbeddingModel(selection.embedder, cache: embeddingCache)
        }
        logger.info("embedding model", metadata: [
            "rag.model": "\(selection.embedder.modelName)", "rag.embedder": "\(selection.source.rawValue)",
            "reason": "\(selection.reason ?? "")",
        ])
        let index = try await DocumentIndex.open(
            store: store, embedder: selection.embedder, configuration: configuration, logger: logger)
        do {
            try await index.embedPending()
        } catch {
            // Not fatal: documents without this model's vectors are still found by full-text search.
            logger.warning("embedding pending documents failed", metadata: ["error": "\(error)"])
        }
        return SelectedEmbedderRetriever(index: index, selection: selection)
    }
}

extension QueryService {
    /// The `DocumentIndex` behind this service's retriever (opening it if it is opened lazily); nil when the
    /// retriever is not index-based. Indexing through it updates the vectors questions are answered from.
    public func documentIndex() async throws -> DocumentIndex? {
        var retriever: any QueryRetriever = self.retriever
        if let lazy = retriever as? LazyQueryRetriever { retriever = try await lazy.retriever() }
        if let selected = retriever as? SelectedEmbedderRetriever { return selected.index }
        return retriever as? DocumentIndex
    }

    /// The `DocumentIndex` behind this service's retriever if it is open already; never opens it (readiness and
    /// metrics must not load the vectors).
    public func openedDocumentIndex() async -> DocumentIndex? {
        var retriever: any QueryRetriever = self.retriever
        if let lazy = retriever as? LazyQueryRetriever {
            guard let opened = await lazy.openedRetriever else { return nil }
            retriever = opened
        }
        if let selected = retriever as? SelectedEmbedderRetriever { return selected.index }
        return retriever as? DocumentIndex
    }
}
