import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PipsightCore
import PipsightTesting
import PostgresStore
import Server
import Testing

@Suite("HTTP API")
struct ServerTests {
    static let events = Data(TestFixtures.smallEvents.utf8)

    /// Runs `body` against a live server on a fresh database. API keys and the rate limit are off unless
    /// `configure` turns them on (AuthTests and RateLimitTests test them).
    static func withServer(
        maxUploadBytes: Int = 1 << 20,
        logger: Logger = TestDatabase.logger,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.withEmptyDatabase { url in
            var configuration = ServerConfiguration(database: url)
            configuration.port = 0
            configuration.maxUploadBytes = maxUploadBytes
            configuration.authDisabled = true
            configuration.rateLimitPerSecond = 0
            configure(&configuration)
            let app = try buildApplication(configuration: configuration, logger: logger)
            try await app.test(.live, body)
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: buffer))
        return try #require(object as? [String: Any])
    }

    @Test("healthz and readyz answer when PostgreSQL is up")
    func health() async throws {
        try await Self.withServer { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                let body = try Self.json(response.body)
                #expect(response.status == .ok)
                #expect(body["status"] as? String == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                let body = try Self.json(response.body)
                #expect(response.status == .ok)
                #expect(body["database"] as? String == "ok")
            }
        }
    }

    @Test("readyz is 503 while PostgreSQL cannot be reached, healthz still 200")
    func notReady() async throws {
        var configuration = ServerConfiguration(database: DatabaseURL(host: "127.0.0.1", port: 1, username: "nobody", database: "none"))
        configuration.port = 0
        configuration.migrateOnStart = false
        configuration.authDisabled = true
        let app = try buildApplication(configuration: configuration, logger: TestDatabase.logger)
        try await app.test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("an upload is stored once; a second upload of the same bytes names the first backtest")
    func uploadTwice() async throws {
        try await Self.withServer { client in
            let first = try await client.execute(
                uri: "/v1/backtests?name=events.json", method: .post, body: ByteBuffer(bytes: Self.events)
            ) { response in
                #expect(response.status == .created)
                let files = try #require(try Self.json(response.body)["files"] as? [[String: Any]])
                #expect(files.first?["status"] as? String == "ingested")
                #expect(files.first?["trades"] as? Int == 2)
                #expect(files.first?["format"] as? String == "events-json")
                return files.first?["id"] as? String
            }
            let id = try #require(first)
            try await client.execute(uri: "/v1/backtests?name=again.json", method: .post, body: ByteBuffer(bytes: Self.events)) { response in
                #expect(response.status == .ok)
                let files = try #require(try Self.json(response.body)["files"] as? [[String: Any]])
                #expect(files.first?["status"] as? String == "already_ingested")
                #expect(files.first?["id"] as? String == id)
            }
            try await client.execute(uri: "/v1/backtests", method: .get) { response in
                #expect(response.status == .ok)
                let list = try #require(try Self.json(response.body)["backtests"] as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["tradeCount"] as? Int == 2)
                #expect(list.first?["sourceName"] as? String == "events.json")
            }
            try await client.execute(uri: "/v1/backtests/\(id)", method: .get) { response in
                #expect(response.status == .ok)
                let summary = try #require(try Self.json(response.body)["summary"] as? [String: Any])
                #expect(summary["id"] as? String == id.uppercased() || summary["id"] as? String == id)
            }
        }
    }

    @Test("multipart uploads store every file part")
    func multipart() async throws {
        try await Self.withServer { client in
            let boundary = "pipsight-test-boundary"
            var body = ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a/events.json\"\r\n"
            body += "Content-Type: application/json\r\n\r\n\(TestFixtures.smallEvents)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"params.cbotset\"\r\n\r\n"
            body += "\(ServerFixtures.cbotset)\r\n--\(boundary)--\r\n"
            try await client.execute(
                uri: "/v1/backtests", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .created)
                let files = try #require(try Self.json(response.body)["files"] as? [[String: Any]])
                #expect(files.map { $0["file"] as? String } == ["events.json", "params.cbotset"])
                #expect(files.allSatisfy { $0["status"] as? String == "ingested" })
                #expect(files.last?["parameters"] as? Int == 2)
            }
        }
    }

    @Test("an upload above the limit gets 413 with a JSON error")
    func tooLarge() async throws {
        try await Self.withServer(maxUploadBytes: 100) { client in
            try await client.execute(uri: "/v1/backtests", method: .post, body: ByteBuffer(bytes: Self.events)) { response in
                #expect(response.status == .contentTooLarge)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "limit_exceeded")
            }
        }
    }

    @Test("a malformed upload gets 422 naming where it is wrong, and nothing is stored")
    func malformed() async throws {
        try await Self.withServer { client in
            let broken = TestFixtures.smallEvents.replacingOccurrences(of: "\"time\": 1700000060000", with: "\"time\": \"abc\"")
            try await client.execute(
                uri: "/v1/backtests?name=broken.json&format=events-json", method: .post, body: ByteBuffer(string: broken)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                let location = try #require(error["location"] as? [String: Any])
                #expect(location["file"] as? String == "broken.json")
                #expect(location["field"] as? String == "time")
                #expect((location["path"] as? String)?.contains("[1]") == true)
            }
            try await client.execute(uri: "/v1/backtests", method: .get) { response in
                let list = try #require(try Self.json(response.body)["backtests"] as? [[String: Any]])
                #expect(list.isEmpty)
            }
        }
    }

    @Test("unknown backtests, unknown routes and unknown formats get JSON errors")
    func errors() async throws {
        try await Self.withServer { client in
            try await client.execute(uri: "/v1/backtests/\(UUID())", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try Self.json(response.body)
                #expect(body["error"] is [String: Any])
            }
            try await client.execute(uri: "/v1/backtests/not-a-uuid", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
            }
            try await client.execute(uri: "/v1/backtests?format=xlsx", method: .post, body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

enum ServerFixtures {
    static let cbotset = """
        <?xml version="1.0" encoding="utf-8"?>
        <cbotset><parameters><parameter name="Period" value="14"/><parameter name="Volume" value="1000"/></parameters></cbotset>
        """
}
