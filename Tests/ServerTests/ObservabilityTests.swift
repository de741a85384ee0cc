import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Ollama
import PipsightCore
import PipsightTesting
import PostgresStore
import Server
import Synchronization
import Testing

/// `/metrics`, `/readyz`, request ids and JSON logs of a live server.
@Suite("HTTP API: observability")
struct ObservabilityTests {
    /// Runs `body` against a live server on a fresh database, Ollama at `ollama` (default: nothing listens
    /// there), logging through `logger`.
    static func withServer(
        ollama: URL = URL(string: "http://127.0.0.1:1")!, logger: Logger = TestDatabase.logger,
        _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await ServerTests.withServer(logger: logger, configure: { configuration in
            configuration.ollama = OllamaConfiguration(
                baseURL: ollama, requestTimeout: .seconds(10), loadTimeout: .seconds(20), probeTimeout: .seconds(5))
        }, body)
    }

    @Test("/metrics counts requests by route pattern and status, ingested rows, and reads the pool and index")
    func metrics() async throws {
        try await Self.withServer { client in
            for _ in 0..<2 { try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) } }
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/backtests/\(UUID().uuidString)", method: .get) { #expect($0.status == .notFound) }
            }
            try await client.execute(uri: "/no/such/page", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/v1/backtests?name=events.json", method: .post, body: ByteBuffer(bytes: ServerTests.events)
            ) { #expect($0.status == .created) }
            try await client.execute(
                uri: "/v1/backtests?name=again.json", method: .post, body: ByteBuffer(bytes: ServerTests.events)
            ) { #expect($0.status == .ok) }

            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return String(buffer: response.body)
            }
            let metrics = try PrometheusText(text)
            let requests = "pipsight_http_requests_total"
            #expect(metrics.value(requests, ["method": "GET", "route": "/healthz", "status": "200"]) == 2)
            #expect(metrics.value(requests, ["method": "GET", "route": "/v1/backtests/{id}", "status": "404"]) == 3)
            #expect(metrics.value(requests, ["method": "GET", "route": "unmatched", "status": "404"]) == 1)
            #expect(metrics.value(requests, ["method": "POST", "route": "/v1/backtests", "status": "201"]) == 1)
            #expect(metrics.value(requests, ["method": "POST", "route": "/v1/backtests", "status": "200"]) == 1)
            // No raw path becomes a series.
            #expect(!text.contains("/no/such/page"))
            #expect(metrics.samples(requests).count == 5)
            let duration = "pipsight_http_request_duration_seconds"
            #expect(metrics.value(duration + "_count", ["method": "GET", "route": "/healthz", "status": "200"]) == 2)
            #expect(metrics.value(duration + "_bucket", ["method": "GET", "route": "/healthz", "status": "200", "le": "+Inf"]) == 2)
            // The fixture holds two trades; the second upload is a duplicate.
            #expect(metrics.value("pipsight_ingest_files_total", ["status": "ingested"]) == 1)
            #expect(metrics.value("pipsight_ingest_files_total", ["status": "already_ingested"]) == 1)
            #expect(metrics.value("pipsight_ingest_rows_total", ["kind": "trades"]) == 2)
            // Read at the scrape: PostgreSQL answers, this server holds connections, the index is not open yet.
            #expect(metrics.value("pipsight_db_up") == 1)
            #expect(metrics.value("pipsight_db_connections_max") == 20)
            #expect((metrics.value("pipsight_db_connections", ["state": "idle"]) ?? 0) >= 1)
            #expect(metrics.value("pipsight_db_connections", ["state": "in_use"]) != nil)
            #expect(metrics.value("pipsight_http_requests_in_flight") == 1)
            #expect(metrics.value("pipsight_index_documents") != nil)
            #expect(metrics.value("pipsight_indexing_backlog") != nil)
        }
    }

    @Test("readyz without Ollama: ready (offline, with the reason), index not yet open")
    func readyOffline() async throws {
        try await Self.withServer { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                #expect(body["status"] as? String == "ready")
                #expect(body["database"] as? String == "ok")
                let ollama = try #require(body["ollama"] as? [String: Any])
                #expect(ollama["status"] as? String == "offline")
                #expect(ollama["url"] as? String == "http://127.0.0.1:1")
                #expect((ollama["reason"] as? String)?.contains("not reachable") == true)
                let index = try #require(body["index"] as? [String: Any])
                #expect(index["open"] as? Bool == false)
                #expect(index["documents"] as? Int == 0)
                #expect(index["pendingBacktests"] as? Int == 0)
            }
        }
    }

    @Test("a question through Ollama: one request id in the response, every log line and every call to Ollama; embedding metrics; readyz")
    func requestIDThroughOllama() async throws {
        let lines = CollectedLines()
        let logger = {
            var logger = Logger(label: "pipsight.server") { label in
                JSONLogHandler(label: label, metadataProvider: .requestTrace) { line in lines.append(line) }
            }
            logger.logLevel = .info
            return logger
        }()
        try await OllamaStubServer.withServer { stub in
            try await Self.withServer(ollama: stub.url, logger: logger) { client in
                let before = lines.all.count
                let question = #"{"question": "Which weekday loses the most?"}"#
                try await client.execute(
                    uri: "/v1/query", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Request-Id")!: "obs-req-1"],
                    body: ByteBuffer(string: question)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "obs-req-1")
                }
                // Every line written while the question was answered is JSON and names the request.
                let window = Array(lines.all[before...])
                let objects = try window.map { line in
                    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                }
                #expect(objects.contains { $0["message"] as? String == "document index opened" })
                for object in objects {
                    let metadata = object["metadata"] as? [String: Any]
                    #expect(metadata?["request_id"] as? String == "obs-req-1", "\(object)")
                }
                // Every call to Ollama (the probe, the models, the answer) carried it.
                #expect(!stub.requests.isEmpty)
                #expect(stub.requests.allSatisfy { $0.requestID == "obs-req-1" })

                // A backtest indexed in the background (no request id: it outlives its upload), then a question
                // about it: its one embedding call and every other call to Ollama carry the question's id.
                let id = try await client.execute(
                    uri: "/v1/backtests?name=events.json", method: .post,
                    headers: [HTTPField.Name("X-Request-Id")!: "obs-upload"], body: ByteBuffer(bytes: ServerTests.events)
                ) { response in
                    #expect(response.status == .created)
                    return try #require((try ServerTests.json(response.body)["files"] as? [[String: Any]])?.first?["id"] as? String)
                }
                #expect(try await BackgroundIndexingTests.finalStatus(client, id: id)["state"] as? String == "indexed")
                let indexingCalls = stub.requests.count
                #expect(stub.requests(to: "/api/embed").count >= 1)
                #expect(stub.requests(to: "/api/embed").allSatisfy { $0.requestID == nil })
                try await client.execute(
                    uri: "/v1/query", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Request-Id")!: "obs-req-3"],
                    body: ByteBuffer(string: #"{"question": "Which weekday loses the most?", "backtestIds": ["\#(id)"]}"#)
                ) { #expect($0.status == .ok) }
                let questionCalls = Array(stub.requests[indexingCalls...])
                #expect(questionCalls.filter { $0.path == "/api/embed" }.count == 1)
                #expect(questionCalls.contains { $0.path == "/api/chat" })
                #expect(questionCalls.allSatisfy { $0.requestID == "obs-req-3" })

                // Without a sane header the server makes an id up.
                for header: HTTPFields in [[:], [HTTPField.Name("X-Request-Id")!: "not a sane id"]] {
                    try await client.execute(uri: "/healthz", method: .get, headers: header) { response in
                        let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                        #expect(UUID(uuidString: id) != nil)
                    }
                }
                // Error responses carry it too.
                try await client.execute(
                    uri: "/v1/query", method: .post, headers: [HTTPField.Name("X-Request-Id")!: "obs-req-2"],
                    body: ByteBuffer(string: "not json")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "obs-req-2")
                }

                let metrics = try await client.execute(uri: "/metrics", method: .get) { try PrometheusText(String(buffer: $0.body)) }
                let model = ["model": "all-minilm", "purpose": "query"]
                #expect(metrics.value("pipsight_embedding_calls_total", model.merging(["outcome": "ok"]) { $1 }) == 1)
                #expect(metrics.value("pipsight_embedding_texts_total", model) == 1)
                #expect(metrics.value("pipsight_embedding_duration_seconds_count", model) == 1)
                let documents = ["model": "all-minilm", "purpose": "document", "outcome": "ok"]
                #expect((metrics.value("pipsight_embedding_calls_total", documents) ?? 0) >= 1)
                #expect(metrics.value("pipsight_index_open") == 1)
                #expect(metrics.value("pipsight_http_requests_total", ["method": "POST", "route": "/v1/query", "status": "400"]) == 1)

                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try ServerTests.json(response.body)
                    let ollama = try #require(body["ollama"] as? [String: Any])
                    #expect(ollama["status"] as? String == "reachable")
                    #expect(ollama["version"] as? String == "0.0.0-stub")
                    let index = try #require(body["index"] as? [String: Any])
                    #expect(index["open"] as? Bool == true)
                    #expect(index["model"] as? String == "all-minilm")
                    #expect((index["vectors"] as? Int ?? 0) > 0)
                    #expect((index["documents"] as? Int ?? 0) > 0)
                    #expect(index["embeddedDocuments"] as? Int == index["documents"] as? Int)
                    #expect(index["pendingBacktests"] as? Int == 0)
                }
            }
        }
    }
}

/// The lines a `JSONLogHandler` wrote.
final class CollectedLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
}

/// The samples of a Prometheus text exposition.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error {
        var line: String
    }

    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            samples.append(try Self.parse(Substring(line)))
        }
    }

    /// `name{label="value",…} number`, label values with `\\`, `\"` and `\n` escapes.
    static func parse(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { throw Malformed(line: String(line)) }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Malformed(line: String(line)) }
                rest = rest.dropFirst()
                if rest.first == "," { rest = rest.dropFirst() }
                labels[key] = value
            }
            rest = rest.dropFirst()
        }
        guard let value = Double(rest.trimmingCharacters(in: .whitespaces)) else { throw Malformed(line: String(line)) }
        return Sample(name: name, labels: labels, value: value)
    }

    /// The samples named `name`.
    func samples(_ name: String) -> [Sample] { samples.filter { $0.name == name } }

    /// The value of the sample `name` with exactly `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
