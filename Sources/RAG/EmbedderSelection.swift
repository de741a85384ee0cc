import Foundation
import Ollama
import PipsightCore

/// The embedding model retrieval uses, chosen by the same rule as the chat model: Ollama's configured embedding
/// model (`PIPSIGHT_OLLAMA_EMBED_MODEL`) when Ollama answers and that model is pulled and described in `models/`,
/// otherwise the built-in `OfflineEmbedder`, with the reason.
///
/// An index holds the vectors of one model only, so documents and questions are always embedded by the same
/// model; documents stored before the switch are embedded for the new model by `DocumentIndex.embedPending()`.
public struct EmbedderSelection: Sendable {
    /// The embedder to open the `DocumentIndex` with.
    public var embedder: any EmbeddingModel
    /// Why the offline embedder is used; nil when Ollama's embedding model is used.
    public var reason: String?

    /// True when the embedder is Ollama's model.
    public var usesOllama: Bool { reason == nil }

    /// The offline embedder, because of `reason`.
    public static func offline(_ reason: String) -> EmbedderSelection {
        EmbedderSelection(embedder: OfflineEmbedder(), reason: reason)
    }

    /// Probes `client` (nil, or `offline` true: the offline embedder). Never throws.
    public static func probe(client: OllamaClient?, offline: Bool = false) async -> EmbedderSelection {
        guard let client, !offline else {
            return .offline(offline ? "offline mode was asked for" : "no Ollama client is configured")
        }
        let configuration = client.configuration
        let model = configuration.embeddingModel
        let version: String
        do {
            version = try await client.version()
        } catch {
            if let error = error as? PipsightError, error.code == .ollamaUnreachable { return .offline(error.message) }
            return .offline("Ollama at \(configuration.baseURL.absoluteString) did not answer: \(describe(error))")
        }
        do {
            guard try await client.isPulled(model) else {
                return .offline("Ollama \(version) runs, but the embedding model '\(model)' is not pulled: run `ollama pull \(model)`")
            }
            return EmbedderSelection(embedder: try OllamaEmbeddingModel(client: client), reason: nil)
        } catch {
            return .offline("Ollama \(version) runs, but the embedding model '\(model)' cannot be used: \(describe(error))")
        }
    }

    /// The sentence the answer carries when the offline embedder retrieves.
    public var notice: String? {
        reason.map { "Retrieval used the built-in offline embedder (\(embedder.modelName)): \($0)." }
    }

    static func describe(_ error: any Error) -> String {
        (error as? PipsightError)?.message ?? "\(error)"
    }
}
