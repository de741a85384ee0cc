import Foundation
import Logging
import Ollama
import PipsightCore

extension ModelSelector {
    /// Probes `client`: Ollama answers `/api/version` within its probe timeout, and the configured chat model is
    /// pulled and described in `models/`. Otherwise offline, with the reason (for `pipsight doctor` and answers).
    public static func ollama(
        client: OllamaClient, reprobeInterval: Duration = .seconds(30), logger: Logger
    ) -> ModelSelector {
        ModelSelector(reprobeInterval: reprobeInterval, logger: logger) {
            await probeOllama(client: client)
        }
    }

    /// One probe of `client` (see `ollama(client:reprobeInterval:logger:)`).
    public static func probeOllama(client: OllamaClient) async -> ModelSelection {
        let configuration = client.configuration
        let version: String
        do {
            version = try await client.version()
        } catch {
            if let error = error as? PipsightError, error.code == .ollamaUnreachable { return .offline(error.message) }
            return .offline("Ollama at \(configuration.baseURL.absoluteString) did not answer: \(describe(error))")
        }
        let model = configuration.chatModel
        do {
            guard try await client.isPulled(model) else {
                return .offline("Ollama \(version) runs, but the chat model '\(model)' is not pulled: run `ollama pull \(model)`")
            }
            let chat = try OllamaChatModel(client: client)
            return ModelSelection(mode: .ollama, chat: chat, reason: nil, ollamaVersion: version)
        } catch {
            return .offline("Ollama \(version) runs, but the chat model '\(model)' cannot be used: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? PipsightError)?.message ?? "\(error)"
    }
}
