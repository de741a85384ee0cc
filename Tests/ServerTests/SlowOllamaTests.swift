import Foundation
import Hummingbird
import HummingbirdTesting
import Ollama
import PipsightTesting
import Server
import Testing

/// Ollama slow, end to end through the whole application (`buildApplication`, real HTTP, real PostgreSQL): every
/// question still gets an answer in bounded time — offline when the model cannot start answering within its
/// timeout, an `error` event when a started answer stalls — and no request hangs. The delays are far longer than
/// the timeouts, so a slow machine can only make the expected outcome more certain.
@Suite("Ollama slow, through pipsight serve")
struct SlowOllamaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let question = ByteBuffer(string: #"{"question": "What is the win rate?"}"#)

    /// A server whose Ollama is `stub`, with 1 s request and load timeouts.
    static func withServer(
        _ stub: OllamaStubServer, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        let ollama = OllamaConfiguration(
            baseURL: stub.url, requestTimeout: .seconds(1), loadTimeout: .seconds(1),
            retry: OllamaRetryPolicy(maxAttempts: 1), modelsDirectory: repository.appendingPathComponent("models"))
        try await ServerTests.withServer(configure: { $0.ollama = ollama }, body)
    }

    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    /// Asks the question and checks it is answered 200, offline, with a notice and an answer, within `bound`;
    /// returns the notice.
    static func expectOfflineAnswer(_ client: any TestClientProtocol, within bound: Duration) async throws -> String? {
        let started = ContinuousClock.now
        let notice = try await client.execute(uri: "/v1/query", method: .post, body: Self.question) { response in
            #expect(response.status == .ok)
            let object = try Self.object(response.body)
            #expect(object["mode"] as? String == "offline")
            #expect(!(object["answer"] as? String ?? "").isEmpty)
            return object["notice"] as? String
        }
        #expect(notice != nil)
        #expect(ContinuousClock.now - started < bound)
        return notice
    }

    @Test("a chat model that takes longer to load than the timeout: 200 with an offline answer that says why")
    func slowToStart() async throws {
        let options = OllamaStubServer.Options(loadDelay: .seconds(20))
        try await OllamaStubServer.withServer(options) { stub in
            try await Self.withServer(stub) { client in
                // Bounded by the 1 s load timeout (plus the offline answer), never by the stub's 20 s.
                let notice = try await Self.expectOfflineAnswer(client, within: .seconds(15))
                #expect(notice?.contains("llama3.2") == true)
            }
        }
    }

    @Test("Ollama that does not answer at all: the 2 s probe gives up and the answer is offline")
    func notAnswering() async throws {
        let options = OllamaStubServer.Options(latency: .seconds(30))
        try await OllamaStubServer.withServer(options) { stub in
            try await Self.withServer(stub) { client in
                _ = try await Self.expectOfflineAnswer(client, within: .seconds(20))
                // /readyz says so rather than waiting on Ollama.
                try await client.execute(uri: "/readyz", method: .get) { response in
                    let ollama = try Self.object(response.body)["ollama"] as? [String: Any]
                    #expect(ollama?["status"] as? String == "offline")
                }
            }
        }
    }

    @Test("an answer that stalls after its first words ends with an error event instead of hanging")
    func stallsMidAnswer() async throws {
        let options = OllamaStubServer.Options(tokenDelay: .seconds(20)) { _ in "the win rate is high" }
        try await OllamaStubServer.withServer(options) { stub in
            try await Self.withServer(stub) { client in
                let started = ContinuousClock.now
                try await client.execute(
                    uri: "/v1/query", method: .post, headers: [.accept: "text/event-stream"], body: Self.question
                ) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.contains("event: token"))
                    #expect(text.contains("event: error"))
                    #expect(text.contains("ollama_timeout"))
                    #expect(!text.contains("event: done"))
                }
                #expect(ContinuousClock.now - started < .seconds(15))
            }
        }
    }
}
