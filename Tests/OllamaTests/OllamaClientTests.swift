import AsyncHTTPClient
import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

@Suite struct OllamaClientTests {
    @Test func versionAndTags() async throws {
        try await withStub { _, client in
            #expect(try await client.version() == "0.0.0-stub")
            let names = try await client.tags().map(\.name)
            #expect(names == ["nomic-embed-text:latest", "all-minilm:latest", "llama3.2:latest"])
            #expect(try await client.isPulled("llama3.2"))
            #expect(try await client.isPulled("nomic-embed-text:latest"))
            #expect(try await !client.isPulled("mistral"))
        }
    }

    @Test func embedSendsOneBatchAndKeepsTheOrder() async throws {
        try await withStub(configure: { $0.keepAlive = "10m" }) { stub, client in
            let inputs = ["EURUSD buy Monday", "GBPUSD sell Friday", "EURUSD buy Monday"]
            let answer = try await client.embed(model: "nomic-embed-text", inputs: inputs)
            #expect(answer.embeddings.count == 3)
            for (input, vector) in zip(inputs, answer.embeddings) {
                #expect(vector == OllamaStubEmbedding.vector(for: input, dimension: 768))
            }
            let requests = stub.requests(to: "/api/embed")
            #expect(requests.count == 1)
            let body = try #require(requests.first?.body?.objectValue)
            #expect(body["truncate"] == .bool(false))
            #expect(body["keep_alive"] == .string("10m"))
            #expect(embedInputs(stub) == [inputs])
        }
    }

    @Test func noInputsNoRequest() async throws {
        try await withStub { stub, client in
            let answer = try await client.embed(model: "nomic-embed-text", inputs: [])
            #expect(answer.embeddings.isEmpty)
            #expect(stub.requests.isEmpty)
        }
    }

    @Test func aMissingModelSaysWhichPullToRun() async throws {
        try await withStub { _, client in
            let embedError = await pipsightError { _ = try await client.embed(model: "nomic-embed-text:v9", inputs: ["x"]) }
            #expect(embedError?.code == .modelNotPulled)
            #expect(embedError?.message == "model 'nomic-embed-text:v9' is not pulled: run `ollama pull nomic-embed-text:v9`")
            let chatError = await pipsightError {
                _ = try await client.chat(model: "mistral", messages: [ChatMessage(role: .user, content: "hi")])
            }
            #expect(chatError?.message == "model 'mistral' is not pulled: run `ollama pull mistral`")
        }
    }

    @Test func busyIsRetriedThenSucceeds() async throws {
        try await withStub { stub, client in
            stub.inject(.busy(times: 2))
            let answer = try await client.embed(model: "all-minilm", inputs: ["a b c"])
            #expect(answer.embeddings.count == 1)
            // Two 503s, then the answer.
            #expect(stub.requests(to: "/api/embed").count == 3)
        }
    }

    @Test func busyBeyondTheAttemptsIsAnError() async throws {
        try await withStub(configure: { $0.retry.maxAttempts = 3 }) { stub, client in
            stub.inject(.busy(times: 10))
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a"]) }
            #expect(error?.code == .ollamaBusy)
            #expect(stub.requests(to: "/api/embed").count == 3)
        }
    }

    @Test func aWrongNumberOfEmbeddingsIsAnError() async throws {
        try await withStub { stub, client in
            stub.inject(.wrongEmbeddingCount)
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a", "b", "c"]) }
            #expect(error?.code == .ollamaBadResponse)
            #expect(error?.message.contains("2 embeddings for 3 inputs") == true)
        }
    }

    @Test func anInputLongerThanTheContextIsNotTruncatedSilently() async throws {
        try await withStub { _, client in
            // all-minilm in the stub: 512 tokens of 4 characters.
            let long = String(repeating: "pips ", count: 500)
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: [long]) }
            #expect(error?.code == .inputTooLong)
            // Asking for truncation explicitly is allowed.
            let answer = try await client.embed(model: "all-minilm", inputs: [long], truncate: true)
            #expect(answer.embeddings.count == 1)
        }
    }

    @Test func otherErrorBodiesCarryOllamasMessage() async throws {
        try await withStub { stub, client in
            stub.inject(.status(500, message: "llama runner process has terminated: signal: killed"))
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a"]) }
            #expect(error?.code == .ollamaError)
            #expect(error?.message == "Ollama answered 500 for model 'all-minilm': llama runner process has terminated: signal: killed")
        }
    }

    @Test func aDroppedEmbedAnswerIsAnError() async throws {
        try await withStub { stub, client in
            stub.inject(.dropConnection)
            let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a", "b"]) }
            #expect(error != nil)
            #expect([.ollamaUnreachable, .ollamaBadResponse].contains(error?.code))
        }
    }

    @Test func connectionRefusedSaysOllamaIsNotReachable() async throws {
        // A port that was just free: start a stub, note its URL, stop it.
        let url = try await OllamaStubServer.withServer { $0.url }
        // The shared HTTP client retries connecting until a request's deadline; the client's probe (2 s) still
        // reports the refusal long before the 600 s load timeout. The guard below only stops a hang.
        let client = OllamaClient(httpClient: .shared, configuration: OllamaConfiguration(baseURL: url), logger: quietLogger)
        try await withTimeout(.seconds(60)) {
            let error = await pipsightError { _ = try await client.version() }
            #expect(error?.code == .ollamaUnreachable)
            #expect(error?.message.contains("Ollama is not reachable at \(url.absoluteString)") == true)
            let embedError = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a"]) }
            #expect(embedError?.code == .ollamaUnreachable)
            let chatError = await pipsightError {
                for try await _ in client.streamChat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")]) {}
            }
            #expect(chatError?.code == .ollamaUnreachable)
        }
    }

    @Test func theRecommendedHTTPConfigurationRefusesAtOnce() async throws {
        let url = try await OllamaStubServer.withServer { $0.url }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton,
                                    configuration: OllamaClient.recommendedHTTPClientConfiguration())
        let client = OllamaClient(httpClient: httpClient, configuration: OllamaConfiguration(baseURL: url), logger: quietLogger)
        let error = await pipsightError { _ = try await client.embed(model: "all-minilm", inputs: ["a"]) }
        try await httpClient.shutdown()
        #expect(error?.code == .ollamaUnreachable)
        #expect(error?.message.contains("ollama serve") == true)
    }

    @Test func theFirstRequestIsPrecededByAProbeOnly() async throws {
        try await withStub { stub, client in
            _ = try await client.embed(model: "all-minilm", inputs: ["a"])
            _ = try await client.embed(model: "all-minilm", inputs: ["b"])
            #expect(stub.requests.map(\.path) == ["/api/version", "/api/embed", "/api/embed"])
        }
    }
}
