import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Ollama
import PipsightCore
import PipsightTesting
import PostgresStore
import RAG
import Server
import Testing

/// The bound on language-model generation: `maxConcurrent` answers at once, `maxQueued` waiting, 503 beyond.
@Suite("Generation limit")
struct GenerationLimitTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("one slot and one place in the queue: the third request is refused, the second runs when the first ends")
    func queue() async throws {
        let limiter = GenerationLimiter(maxConcurrent: 1, maxQueued: 1)
        let first = try await limiter.acquire()
        let second = Task { try await limiter.acquire() }
        while await limiter.queued < 1 { await Task.yield() }
        await #expect(throws: GenerationLimiter.Full.self) { _ = try await limiter.acquire() }
        await first.release()
        let permit = try await second.value
        #expect(await limiter.running == 1)
        #expect(await limiter.queued == 0)
        await permit.release()
        await permit.release()  // a second release changes nothing
        #expect(await limiter.running == 0)
    }

    @Test("a waiting request that is cancelled leaves the queue; a dropped permit gives its slot back")
    func cancellation() async throws {
        let limiter = GenerationLimiter(maxConcurrent: 1, maxQueued: 1)
        var held: GenerationPermit? = try await limiter.acquire()
        let waiting = Task { try await limiter.acquire() }
        while await limiter.queued < 1 { await Task.yield() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiting.value }
        #expect(await limiter.queued == 0)
        #expect(held != nil)
        held = nil
        while await limiter.running > 0 { await Task.yield() }
        let again = try await limiter.acquire()
        await again.release()
    }

    @Test("HTTP: while the only slot generates (slow stub model), a question is 503 generation_busy with Retry-After")
    func busy() async throws {
        let reply = Array(repeating: "word", count: 12).joined(separator: " ")
        let options = OllamaStubServer.Options(tokenDelay: .milliseconds(150)) { _ in reply }
        try await OllamaStubServer.withServer(options) { stub in
            try await TestDatabase.withStore { store, url in
                var configuration = ServerConfiguration(database: url)
                configuration.authDisabled = true
                configuration.rateLimitPerSecond = 0
                configuration.generationConcurrency = 1
                configuration.generationQueue = 0
                let ollama = OllamaClient(
                    httpClient: .shared,
                    configuration: OllamaConfiguration(
                        baseURL: stub.url, modelsDirectory: Self.repository.appendingPathComponent("models")),
                    logger: TestDatabase.logger)
                let service = QueryService.standard(
                    store: store, ollama: ollama, promptsDirectory: Self.repository.appendingPathComponent("prompts"),
                    logger: TestDatabase.logger)
                let limiters = RequestLimiters(configuration: configuration)
                let router = buildRouter(store: store, configuration: configuration, query: service, limiters: limiters)
                try await Application(router: router, logger: TestDatabase.logger).test(.router) { client in
                    let body = ByteBuffer(string: #"{"question": "What is the win rate?"}"#)
                    let first = Task {
                        try await client.execute(uri: "/v1/query", method: .post, body: body) { response in
                            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                            return (response.status, object?["mode"] as? String, object?["answer"] as? String)
                        }
                    }
                    let deadline = ContinuousClock.now + .seconds(30)
                    while await limiters.generation.running < 1, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    try #require(await limiters.generation.running == 1)
                    try await client.execute(uri: "/v1/query", method: .post, body: body) { response in
                        #expect(response.status == .serviceUnavailable)
                        #expect(response.headers[.retryAfter] == "5")
                        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                        #expect((object?["error"] as? [String: Any])?["code"] as? String == "generation_busy")
                    }
                    let (status, mode, answer) = try await first.value
                    #expect(status == .ok)
                    #expect(mode == "ollama")
                    #expect(answer == reply)
                    #expect(await limiters.generation.running == 0)
                }
            }
        }
    }
}
