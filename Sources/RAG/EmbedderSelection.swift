import Foundation
import Logging
import MiniLM
import Ollama
import PipsightCore

/// The embedding model retrieval uses, chosen by `EmbedderChoice` (`PIPSIGHT_EMBEDDER`, default `auto`): Ollama's
/// embedding model when Ollama answers and has it pulled, otherwise the built-in all-minilm (the same model
/// Ollama serves as `all-minilm`: one vector space), and only when its files are absent the hashing
/// `OfflineEmbedder`, each time with the reason.
///
/// An index holds the vectors of one model only, so documents and questions are always embedded by the same
/// model; documents stored before a switch are embedded for the new model by `DocumentIndex.embedPending()`.
public struct EmbedderSelection: Sendable {
    /// Where the embedder runs.
    public enum Source: String, Sendable, Hashable {
        /// Ollama's `/api/embed`.
        case ollama
        /// all-MiniLM-L6-v2 in-process (`MiniLMEmbeddingModel`).
        case builtin
        /// The hashing `OfflineEmbedder` (lexical features only): the built-in model's files are absent.
        case hashing
    }

    /// The embedder to open the `DocumentIndex` with.
    public var embedder: any EmbeddingModel
    public var source: Source
    /// Why Ollama's model is not used; nil when it is, or when the configuration asked for the built-in model.
    public var reason: String?

    /// True when the embedder is Ollama's model.
    public var usesOllama: Bool { source == .ollama }

    public init(embedder: any EmbeddingModel, source: Source, reason: String?) {
        self.embedder = embedder
        self.source = source
        self.reason = reason
    }

    /// The built-in model because of `reason`; the hashing embedder when its files are not installed.
    /// Throws when the files are there but cannot be loaded (corrupt): that is never papered over.
    public static func builtinOrHashing(_ reason: String, directory: URL = MiniLMEmbeddingModel.locate(),
                                        logger: Logger? = nil) throws -> EmbedderSelection {
        guard MiniLMEmbeddingModel.isInstalled(at: directory) else {
            return EmbedderSelection(
                embedder: OfflineEmbedder(), source: .hashing,
                reason: "\(reason); the built-in model all-minilm is not installed in \(directory.path) (run scripts/setup)")
        }
        return EmbedderSelection(embedder: try MiniLMEmbeddingModel.shared(directory: directory, logger: logger),
                                 source: .builtin, reason: reason)
    }

    /// Chooses the embedder for `choice` (`client` nil or `offline` true: no Ollama). `auto` never fails for
    /// Ollama's sake; `builtin` fails when the model files are missing (`embedding_model_missing`, run
    /// scripts/setup); `ollama:<model>` fails when Ollama or the model is unavailable.
    public static func select(
        choice: EmbedderChoice = .auto, client: OllamaClient?, offline: Bool = false,
        builtinDirectory: URL = MiniLMEmbeddingModel.locate(), logger: Logger? = nil
    ) async throws -> EmbedderSelection {
        switch choice {
        case .builtin:
            return EmbedderSelection(
                embedder: try MiniLMEmbeddingModel.shared(directory: builtinDirectory, logger: logger),
                source: .builtin, reason: nil)
        case .ollama(let model):
            guard let client, !offline else {
                throw PipsightError(.configuration, "\(EmbedderChoice.environmentKey)=ollama:\(model) but \(offline ? "offline mode was asked for" : "no Ollama client is configured")")
            }
            var configuration = client.configuration
            configuration.embeddingModel = model
            let pinned = OllamaClient(httpClient: client.httpClient, configuration: configuration, logger: client.logger)
            if let problem = await ollamaProblem(client: pinned) {
                throw PipsightError(.configuration, "\(EmbedderChoice.environmentKey)=ollama:\(model) cannot be used: \(problem)")
            }
            return EmbedderSelection(embedder: try OllamaEmbeddingModel(client: pinned), source: .ollama, reason: nil)
        case .auto:
            guard let client, !offline else {
                return try builtinOrHashing(offline ? "offline mode was asked for" : "no Ollama client is configured",
                                            directory: builtinDirectory, logger: logger)
            }
            if let problem = await ollamaProblem(client: client) {
                return try builtinOrHashing(problem, directory: builtinDirectory, logger: logger)
            }
            do {
                return EmbedderSelection(embedder: try OllamaEmbeddingModel(client: client), source: .ollama, reason: nil)
            } catch {
                return try builtinOrHashing(
                    "Ollama's embedding model '\(client.configuration.embeddingModel)' cannot be used: \(describe(error))",
                    directory: builtinDirectory, logger: logger)
            }
        }
    }

    /// Why `client`'s embedding model cannot be used, or nil when Ollama answers and has it pulled.
    static func ollamaProblem(client: OllamaClient) async -> String? {
        let configuration = client.configuration
        let model = configuration.embeddingModel
        let version: String
        do {
            version = try await client.version()
        } catch {
            if let error = error as? PipsightError, error.code == .ollamaUnreachable { return error.message }
            return "Ollama at \(configuration.baseURL.absoluteString) did not answer: \(describe(error))"
        }
        do {
            guard try await client.isPulled(model) else {
                return "Ollama \(version) runs, but the embedding model '\(model)' is not pulled: run `ollama pull \(model)`"
            }
            return nil
        } catch {
            return "Ollama \(version) runs, but the embedding model '\(model)' cannot be used: \(describe(error))"
        }
    }

    /// The sentence the answer carries when Ollama's model was wanted (`auto`) but not used.
    public var notice: String? {
        guard let reason else { return nil }
        switch source {
        case .ollama: return nil
        case .builtin: return "Retrieval used the built-in embedding model (\(embedder.modelName)): \(reason)."
        case .hashing: return "Retrieval used the built-in hashing embedder (\(embedder.modelName), lexical only): \(reason)."
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? PipsightError)?.message ?? "\(error)"
    }
}
