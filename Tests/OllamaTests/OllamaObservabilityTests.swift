import AsyncHTTPClient
import Foundation
import MetricsTestKit
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

@Suite("Ollama client: request id and error metrics")
struct OllamaObservabilityTests {
    /// A client on `stub` recording its metrics into `metrics`.
    static func client(_ stub: OllamaStubServer, metrics: TestMetrics) -> OllamaClient {
        let configuration = OllamaConfiguration(
            baseURL: stub.url, requestTimeout: .seconds(10), loadTimeout: .seconds(20), probeTimeout: .seconds(10),
            retry: OllamaRetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(5)))
        return OllamaClient(httpClient: .shared, configuration: configuration, logger: quietLogger, metricsFactory: metrics)
    }

    @Test("requests made while serving a request carry its X-Request-Id; others carry none")
    func requestID() async throws {
        try await OllamaStubServer.withServer { stub in
            let client = Self.client(stub, metrics: TestMetrics())
            try await RequestTrace.$id.withValue("req-7") {
                _ = try await client.embed(model: "nomic-embed-text", inputs: ["a", "b"])
                _ = try await client.chat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")])
                for try await _ in client.streamChat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")]) {}
            }
            _ = try await client.embed(model: "nomic-embed-text", inputs: ["c"])
            let recorded = stub.requests.filter { $0.path != "/api/version" }
            #expect(recorded.map(\.path) == ["/api/embed", "/api/chat", "/api/chat", "/api/embed"])
            #expect(recorded.map(\.requestID) == ["req-7", "req-7", "req-7", nil])
            // The probe before the first request was sent inside the request too.
            #expect(stub.requests(to: "/api/version").first?.requestID == "req-7")
        }
    }

    @Test("each failed call counts once under its error code; retries and successes do not count")
    func errorMetrics() async throws {
        try await OllamaStubServer.withServer { stub in
            let metrics = TestMetrics()
            let client = Self.client(stub, metrics: metrics)
            _ = try await client.embed(model: "nomic-embed-text", inputs: ["ok"])
            // Two 503s then success: retried inside one call, not a failure.
            stub.inject(.busy(times: 2))
            _ = try await client.embed(model: "nomic-embed-text", inputs: ["ok"])
            // Three 503s: all 3 attempts busy, one failure.
            stub.inject(.busy(times: 3))
            await #expect(throws: PipsightError.self) { _ = try await client.embed(model: "nomic-embed-text", inputs: ["x"]) }
            stub.inject(.status(500, message: "runner crashed"))
            await #expect(throws: PipsightError.self) {
                _ = try await client.chat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")])
            }
            await #expect(throws: PipsightError.self) { _ = try await client.embed(model: "not-pulled", inputs: ["x"]) }
            stub.inject(.errorMidStream(afterChunks: 1, message: "out of memory"))
            await #expect(throws: PipsightError.self) {
                for try await _ in client.streamChat(model: "llama3.2", messages: [ChatMessage(role: .user, content: "hi")]) {}
            }
            let counts = try ["ollama_busy", "ollama_error", "model_not_pulled"].map { kind in
                try metrics.expectCounter(OllamaClient.errorsMetric, [("kind", kind)]).totalValue
            }
            #expect(counts == [1, 2, 1])
            #expect(metrics.counters.filter { $0.label == OllamaClient.errorsMetric }.count == 3)
        }
    }
}
