import AsyncHTTPClient
import Foundation
import PipsightCore
import Testing
@testable import Ollama

/// Runs against a real Ollama only when `PIPSIGHT_OLLAMA_URL` is set (the test run then reports these tests as
/// skipped with the reason below otherwise). Models: `PIPSIGHT_OLLAMA_EMBED_MODEL` (default nomic-embed-text) and
/// `PIPSIGHT_OLLAMA_CHAT_MODEL` (default llama3.2), which must be pulled.
@Suite(.enabled(if: RealOllama.isConfigured,
                "PIPSIGHT_OLLAMA_URL is not set: the tests against a real Ollama are skipped"))
struct RealOllamaTests {
    @Test func answersItsVersionAndTags() async throws {
        let client = try RealOllama.client()
        let version = try await client.version(timeout: .seconds(5))
        #expect(!version.isEmpty)
        _ = try await client.tags()
    }

    @Test func aModelThatIsNotPulledSaysSo() async throws {
        let client = try RealOllama.client()
        let tag = "pipsight-missing-\(UUID().uuidString.prefix(8).lowercased())"
        let error = await pipsightError { _ = try await client.embed(model: tag, inputs: ["x"]) }
        #expect(error?.code == .modelNotPulled)
    }

    @Test func embedsWithTheDescriptorsDimension() async throws {
        let client = try RealOllama.client()
        let model = try OllamaEmbeddingModel(client: client)
        try await client.warmUp(model: model.modelName, kind: .embedding)
        let vectors = try await model.embed(["EURUSD long on Monday", "GBPUSD short on Friday",
                                             String(repeating: "Trade closed at stop loss. ", count: 3000)],
                                            purpose: .document)
        #expect(vectors.count == 3)
        #expect(vectors.allSatisfy { $0.count == model.dimension })
        #expect(vectors.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3 })
    }

    @Test func streamsAChatAnswer() async throws {
        let client = try RealOllama.client()
        let model = try OllamaChatModel(client: client)
        var text = ""
        for try await fragment in model.streamChat([ChatMessage(role: .user, content: "Say OK.")],
                                                   options: ChatOptions(temperature: 0, seed: 1, maxTokens: 8)) {
            text += fragment
        }
        #expect(!text.isEmpty)
    }
}

enum RealOllama {
    static var isConfigured: Bool {
        !(ProcessInfo.processInfo.environment[OllamaConfiguration.Key.url] ?? "").isEmpty
    }

    static func client() throws -> OllamaClient {
        var configuration = try OllamaConfiguration.fromEnvironment()
        if ProcessInfo.processInfo.environment[OllamaConfiguration.Key.modelsDirectory] == nil {
            configuration.modelsDirectory = modelsDirectory
        }
        return OllamaClient(httpClient: .shared, configuration: configuration, logger: quietLogger)
    }
}
