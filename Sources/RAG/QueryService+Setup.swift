import AsyncHTTPClient
import Foundation
import Logging
import Ollama
import PipsightCore
import PostgresStore

extension QueryService {
    /// The service as the CLI and the server run it: facts from `store`, retrieval through a `DocumentIndex`
    /// over `store` with the built-in offline embedder (opened on first use), and answers from Ollama's chat
    /// model whenever a probe finds it (`ollama` nil or `offline` true: always the offline default).
    public static func standard(
        store: BacktestStore, ollama: OllamaClient?, offline: Bool = false,
        promptsDirectory: URL = PromptTemplates.locate(), logger: Logger
    ) -> QueryService {
        let embedder = OfflineEmbedder()
        let retriever = LazyQueryRetriever(modelName: embedder.modelName) {
            try await DocumentIndex.open(store: store, embedder: embedder, logger: logger)
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
            promptsDirectory: promptsDirectory, logger: logger)
    }
}
