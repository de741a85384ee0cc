import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

/// The first request for a model waits while Ollama loads it: it gets the long load timeout, later requests the
/// short request timeout. The delays are far from the limits, and where a slow machine could only make a
/// request slower, the test expects the timeout.
@Suite struct OllamaLoadTimeoutTests {
    @Test func theFirstRequestGetsTheLoadTimeout() async throws {
        let options = OllamaStubServer.Options(loadDelay: .milliseconds(600))
        try await withStub(options, configure: { $0.requestTimeout = .milliseconds(150) }) { stub, client in
            let answer = try await client.embed(model: "all-minilm", inputs: ["first"])
            #expect(answer.embeddings.count == 1)
            #expect(stub.loads == ["all-minilm"])
            // Loaded now: a slow answer is measured against the request timeout.
            stub.update { $0.latency = .milliseconds(600) }
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["second"]) }
            #expect(error?.code == .ollamaTimeout)
            #expect(error?.message.contains("PIPSIGHT_OLLAMA_TIMEOUT") == true)
        }
    }

    @Test func aLoadLongerThanTheLoadTimeoutSaysSo() async throws {
        let options = OllamaStubServer.Options(loadDelay: .milliseconds(600))
        try await withStub(options, configure: { $0.loadTimeout = .milliseconds(150) }) { _, client in
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["x"]) }
            #expect(error?.code == .ollamaTimeout)
            #expect(error?.message.contains("loading the model") == true)
            #expect(error?.message.contains("PIPSIGHT_OLLAMA_LOAD_TIMEOUT") == true)
        }
    }

    @Test func warmUpLoadsEachKindOfModel() async throws {
        // Loading takes longer than the request timeout: only the load timeout lets the warm-up through.
        let options = OllamaStubServer.Options(loadDelay: .milliseconds(2000))
        try await withStub(options, configure: { $0.requestTimeout = .milliseconds(1000) }) { stub, client in
            try await client.warmUp(model: "llama3.2", kind: .chat)
            try await client.warmUp(model: "nomic-embed-text", kind: .embedding)
            #expect(stub.loads == ["llama3.2", "nomic-embed-text"])
            // Ollama's documented load request: a chat with no messages.
            let chat = try #require(stub.requests(to: "/api/chat").first?.body?.objectValue)
            #expect(chat["messages"] == .array([]))
            // Warm: the short request timeout suffices now.
            let reply = try await client.chat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")])
            #expect(reply.content == "Stub answer to: hi")
        }
    }

    @Test func theAdaptersWarmTheirModelUp() async throws {
        try await withStub { stub, client in
            let embedding = try OllamaEmbeddingModel(
                client: client, descriptor: ModelDescriptor(tag: "all-minilm", kind: .embedding, dimension: 384, contextTokens: 512))
            let chat = OllamaChatModel(client: client, descriptor: ModelDescriptor(tag: "llama3.2", kind: .chat, contextTokens: 8192))
            try await chat.warmUp()
            try await embedding.warmUp()
            #expect(stub.loads == ["llama3.2", "all-minilm"])
        }
    }

    @Test func theVersionProbeIsShort() async throws {
        try await withStub { stub, client in
            stub.update { $0.latency = .milliseconds(800) }
            let error = await pipsightError { _ = try await client.version(timeout: .milliseconds(100)) }
            #expect(error?.code == .ollamaTimeout)
        }
    }
}

@Suite struct OllamaStreamStallTests {
    @Test func aStreamThatStallsEndsWithATimeout() async throws {
        // Lines 4 s apart against a 1 s request timeout: the watchdog ends the stream after the first line.
        let options = OllamaStubServer.Options(tokenDelay: .seconds(4))
        try await withStub(options, configure: { $0.requestTimeout = .seconds(1) }) { _, client in
            var fragments: [String] = []
            let error = await pipsightError {
                for try await chunk in client.streamChat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "slow")]) {
                    fragments.append(chunk.content)
                }
            }
            #expect(error?.code == .ollamaTimeout)
            #expect(error?.message.contains("in the middle of its answer") == true)
            #expect(fragments.count <= 1)
        }
    }
}
