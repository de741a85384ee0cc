import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import Server
import Testing

/// Uploads are indexed in the background: the upload answers at once with a queued indexing status, the
/// documents appear, and `/v1/query` over the backtest retrieves them.
@Suite("HTTP API: background indexing after an upload")
struct BackgroundIndexingTests {
    // Small: the server embeds with the built-in all-minilm (about 0.1 s of CPU per document in tests).
    static let generator = SampleGenerator(seed: 12, trades: 30)

    /// Polls the indexing status until it is final (indexed or failed), at most `attempts` times.
    static func finalStatus(_ client: any TestClientProtocol, id: String, attempts: Int = 600) async throws -> [String: Any] {
        for _ in 0..<attempts {
            let status = try await client.execute(uri: "/v1/backtests/\(id)/indexing", method: .get) { response in
                #expect(response.status == .ok)
                return try ServerTests.json(response.body)
            }
            if let state = status["state"] as? String, state == "indexed" || state == "failed" { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("indexing of \(id) did not finish within \(attempts) polls")
        return [:]
    }

    @Test("an upload queues indexing; its documents appear and /v1/query over it retrieves them")
    func uploadIsIndexed() async throws {
        try await ServerTests.withServer(maxUploadBytes: 16 << 20) { client in
            let id = try await client.execute(
                uri: "/v1/backtests?name=report.json", method: .post,
                body: ByteBuffer(bytes: Self.generator.write(.reportJSON))
            ) { response -> String? in
                #expect(response.status == .created)
                let body = try ServerTests.json(response.body)
                let files = try #require(body["files"] as? [[String: Any]])
                let indexing = try #require(body["indexing"] as? [[String: Any]])
                let id = files.first?["id"] as? String
                #expect(indexing.count == 1)
                #expect(indexing.first?["backtestId"] as? String == id)
                #expect(["pending", "indexing", "indexed"].contains(indexing.first?["state"] as? String ?? ""))
                return id
            }
            let backtestID = try #require(id)
            let status = try await Self.finalStatus(client, id: backtestID)
            #expect(status["state"] as? String == "indexed")
            // One document per trade at least (the generator made 30 trades), plus day, breakdown and run documents.
            let documents = try #require(status["documents"] as? Int)
            #expect(documents > Self.generator.groundTruth.tradeCount)
            // No Ollama here: the server's default embedder, the built-in model.
            #expect(status["embeddingModel"] as? String == "all-minilm")

            let question = #"{"question": "Which trades lost the most?", "backtestIds": ["\#(backtestID)"]}"#
            try await client.execute(
                uri: "/v1/query", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: question)
            ) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let citations = try #require(body["citations"] as? [String: Any])
                let cited = try #require(citations["documents"] as? [[String: Any]])
                #expect(cited.contains { $0["retrieved"] as? Bool == true })
            }
        }
    }

    @Test("the indexing status of an unknown backtest is 404")
    func unknownBacktest() async throws {
        try await ServerTests.withServer { client in
            try await client.execute(uri: "/v1/backtests/\(UUID().uuidString)/indexing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
