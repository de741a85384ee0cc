import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

@Suite struct OllamaChatModelTests {
    private let llama = ModelDescriptor(tag: "llama3.2", kind: .chat, contextTokens: 131_072, defaultContextTokens: 8192)

    @Test func streamsTheReplyAsTextFragments() async throws {
        try await withStub { stub, client in
            let model = OllamaChatModel(client: client, descriptor: llama)
            var text = ""
            for try await fragment in model.streamChat([ChatMessage(role: .user, content: "best hour?")],
                                                       options: ChatOptions(temperature: 0, seed: 1, maxTokens: 50)) {
                text += fragment
            }
            #expect(text == "Stub answer to: best hour?")
            #expect(model.modelName == "llama3.2")
            // Unset context: the descriptor's default; the rest as given.
            #expect(stub.requests(to: "/api/chat").first?.body?.objectValue?["options"] == .object([
                "temperature": .number(0), "seed": .number(1), "num_ctx": .number(8192), "num_predict": .number(50),
            ]))
        }
    }

    @Test func aContextSetByTheCallerWins() {
        let model = OllamaChatModel(client: OllamaClient(httpClient: .shared, logger: quietLogger), descriptor: llama)
        #expect(model.ollamaOptions(ChatOptions(contextTokens: 2048)).numCtx == 2048)
    }

    @Test func aModelErrorMidReplyReachesTheCaller() async throws {
        try await withStub { stub, client in
            stub.inject(.errorMidStream(afterChunks: 1, message: "out of memory"))
            let model = OllamaChatModel(client: client, descriptor: llama)
            var text = ""
            let error = await pipsightError {
                for try await fragment in model.streamChat([ChatMessage(role: .user, content: "why?")], options: ChatOptions()) {
                    text += fragment
                }
            }
            #expect(text == "Stub ")
            #expect(error?.code == .ollamaError)
        }
    }

    @Test func theConfiguredModelIsFoundInModels() throws {
        var configuration = OllamaConfiguration()
        configuration.modelsDirectory = modelsDirectory
        configuration.chatModel = "qwen2.5:7b"
        configuration.embeddingModel = "all-minilm"
        let client = OllamaClient(httpClient: .shared, configuration: configuration, logger: quietLogger)
        #expect(try OllamaChatModel(client: client).descriptor.contextTokens == 32768)
        #expect(try OllamaEmbeddingModel(client: client).dimension == 384)
    }
}
