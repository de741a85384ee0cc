import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import PostgresStore
import RAG
import Server
import Testing

@Suite("POST /v1/query")
struct QueryRoutesTests {
    static let generator = SampleGenerator(seed: 5, trades: 120)

    /// A router over a store holding one indexed generated backtest; the query service answers offline and retrieves
    /// through that index, embedded by the hashing test double (fast). The server's own embedder (the built-in
    /// all-minilm) answers in BackgroundIndexingTests.
    static func withRouter(_ body: @Sendable @escaping (any TestClientProtocol, UUID) async throws -> Void) async throws {
        try await TestDatabase.withStore { store, url in
            let id = try await store.ingest(ImportInput(name: "report.json", data: generator.write(.reportJSON))).backtestID
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            try await index.index(backtestID: id)
            let service = QueryService(
                facts: FactBuilder(source: store, logger: TestDatabase.logger), retriever: index,
                models: .offlineOnly(reason: "no Ollama client is configured", logger: TestDatabase.logger),
                logger: TestDatabase.logger)
            var configuration = ServerConfiguration(database: url)
            configuration.authDisabled = true
            configuration.rateLimitPerSecond = 0
            let router = buildRouter(store: store, configuration: configuration, query: service)
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { try await body($0, id) }
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    @Test("answer cache: X-Pipsight-Cache miss then hit, the same answer, and hits counted in /metrics")
    func answerCache() async throws {
        try await TestDatabase.withStore { store, url in
            let id = try await store.ingest(ImportInput(name: "report.json", data: Self.generator.write(.reportJSON))).backtestID
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            try await index.index(backtestID: id)
            let metrics = ServerMetrics()
            let service = QueryService(
                facts: FactBuilder(source: store, logger: TestDatabase.logger), retriever: index,
                models: .offlineOnly(reason: "no Ollama client is configured", logger: TestDatabase.logger),
                logger: TestDatabase.logger
            ).withCaches(QueryCaches(metricsFactory: metrics.factory))
            var configuration = ServerConfiguration(database: url)
            configuration.authDisabled = true
            configuration.rateLimitPerSecond = 0
            let router = buildRouter(store: store, configuration: configuration, query: service, metrics: metrics)
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { client in
                let body = #"{"question": "What was the largest loss?", "backtestIds": ["\#(id.uuidString)"]}"#
                var answers: [String] = []
                for expected in ["miss", "hit"] {
                    let answer = try await client.execute(
                        uri: "/v1/query", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: body)
                    ) { response in
                        #expect(response.status == .ok)
                        #expect(response.headers[HTTPField.Name("X-Pipsight-Cache")!] == expected)
                        let object = try Self.json(response.body)
                        #expect((object["timings"] as? [String: Any])?["cache"] as? String == expected)
                        return try #require(object["answer"] as? String)
                    }
                    answers.append(answer)
                }
                #expect(answers.count == 2 && answers[0] == answers[1])
                let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
                #expect(text.contains(#"pipsight_cache_lookups_total{cache="answers",result="hit"} 1"#))
                #expect(text.contains(#"pipsight_cache_lookups_total{cache="answers",result="miss"} 1"#))
            }
        }
    }

    @Test("JSON: the answer, mode, facts with their sources, documents, models and timings")
    func json() async throws {
        let worst = try #require(Self.generator.groundTruth.netByWeekday.min { $0.value < $1.value })
        try await Self.withRouter { client, id in
            let body = #"{"question": "Which weekday loses the most?", "backtestIds": ["\#(id.uuidString)"], "k": 4}"#
            try await client.execute(
                uri: "/v1/query", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let object = try Self.json(response.body)
                #expect(object["mode"] as? String == "offline")
                #expect((object["answer"] as? String)?.hasPrefix(AnswerExtractor.label) == true)
                let citations = try #require(object["citations"] as? [String: Any])
                let facts = try #require(citations["facts"] as? [[String: Any]])
                let fact = try #require(facts.first { $0["intent"] as? String == "worst_weekday" })
                #expect(fact["key"] as? String == worst.key)
                #expect((fact["source"] as? String)?.isEmpty == false)
                #expect((citations["documents"] as? [Any])?.count == 4)
                let timings = try #require(object["timings"] as? [String: Any])
                #expect(timings["retrievalMs"] is Double)
                #expect((object["models"] as? [String: Any])?["embedding"] as? String == OfflineEmbedder().modelName)
            }
        }
    }

    @Test("event stream: token events, then a done event with the whole response")
    func eventStream() async throws {
        try await Self.withRouter { client, id in
            let body = #"{"question": "What was the largest loss?", "backtestIds": ["\#(id.uuidString)"]}"#
            try await client.execute(
                uri: "/v1/query", method: .post,
                headers: [.contentType: "application/json", .accept: "text/event-stream"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let text = String(buffer: response.body)
                let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
                #expect(events.first?.hasPrefix("event: token\ndata: ") == true)
                let done = try #require(events.last)
                #expect(done.hasPrefix("event: done\ndata: "))
                let payload = try #require(
                    try JSONSerialization.jsonObject(with: Data(done.dropFirst("event: done\ndata: ".count).utf8)) as? [String: Any])
                // The tokens add up to the final answer.
                let tokens = try events.dropLast().map { event -> String in
                    let data = Data(event.dropFirst("event: token\ndata: ".count).utf8)
                    return try #require(try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? String)
                }
                #expect(tokens.joined() == payload["answer"] as? String)
            }
        }
    }

    @Test("bad bodies are 400 bad_request; an unknown backtest is 404")
    func errors() async throws {
        try await Self.withRouter { client, _ in
            for body in ["not json", #"{"k": 3}"#, #"{"question": " "}"#, #"{"question": "x", "k": 99}"#] {
                try await client.execute(uri: "/v1/query", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                    #expect(error["code"] as? String == "bad_request")
                }
            }
            let unknown = #"{"question": "What is the win rate?", "backtestIds": ["\#(UUID().uuidString)"]}"#
            try await client.execute(uri: "/v1/query", method: .post, body: ByteBuffer(string: unknown)) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
