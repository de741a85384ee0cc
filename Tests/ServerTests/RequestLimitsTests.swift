import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import RAG
import Server
import Testing

/// Body size, question length and k bounds on `POST /v1/query`, and how the limits are configured.
@Suite("Request limits")
struct RequestLimitsTests {
    /// A router (authentication and rate limit off) with small limits: 1,000-byte bodies, 40-character questions,
    /// k up to 5.
    static func withRouter(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        try await TestDatabase.withStore { store, url in
            var configuration = ServerConfiguration(database: url)
            configuration.authDisabled = true
            configuration.rateLimitPerSecond = 0
            configuration.maxRequestBytes = 1_000
            configuration.queryLimits.maxQuestionCharacters = 40
            configuration.queryLimits.maxK = 5
            let router = buildRouter(store: store, configuration: configuration)
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { try await body($0) }
        }
    }

    static func error(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return try #require(object?["error"] as? [String: Any])
    }

    @Test("a body over PIPSIGHT_MAX_REQUEST_BYTES is 413 limit_exceeded")
    func bodyTooLarge() async throws {
        try await Self.withRouter { client in
            let padding = String(repeating: " ", count: 1_000)
            try await client.execute(
                uri: "/v1/query", method: .post, body: ByteBuffer(string: #"{"question": "win rate?"}"# + padding)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let value = try Self.error(response)["code"] as? String
                #expect(value == "limit_exceeded")
            }
            try await client.execute(
                uri: "/v1/backtests/\(UUID())/cbot", method: .post, body: ByteBuffer(string: "{}" + padding)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("a question over the length limit and k outside 1…maxK are 400 with the limit in the message")
    func questionAndK() async throws {
        try await Self.withRouter { client in
            let long = String(repeating: "x", count: 41)
            try await client.execute(
                uri: "/v1/query", method: .post, body: ByteBuffer(string: #"{"question": "\#(long)"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = try Self.error(response)
                #expect(error["code"] as? String == "bad_request")
                #expect(error["message"] as? String == "the question is 41 characters long; the limit is 40")
            }
            for k in [0, 6, -1] {
                try await client.execute(
                    uri: "/v1/query", method: .post, body: ByteBuffer(string: #"{"question": "win rate?", "k": \#(k)}"#)
                ) { response in
                    #expect(response.status == .badRequest)
                    let value = try Self.error(response)["message"] as? String
                    #expect(value == "k must be between 1 and 5, got \(k)")
                }
            }
            // At the limits: accepted.
            let exact = String(repeating: "y", count: 40)
            try await client.execute(
                uri: "/v1/query", method: .post, body: ByteBuffer(string: #"{"question": "\#(exact)", "k": 5}"#)
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("configuration keys: defaults, values read from the environment, and errors naming the key")
    func configuration() throws {
        let url = DatabaseURL(host: "127.0.0.1", port: 5432, username: "u", database: "d")
        let defaults = try ServerConfiguration.fromEnvironment([:], database: url)
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.authDisabled == false)
        #expect(defaults.maxRequestBytes == 1_048_576)
        #expect(defaults.queryLimits.maxQuestionCharacters == 2_000)
        #expect(defaults.queryLimits.maxK == 50)
        #expect(defaults.rateLimitPerSecond == 20 && defaults.rateLimitBurst == 40)
        #expect(defaults.generationConcurrency == 4 && defaults.generationQueue == 16)
        #expect(defaults.databaseStatementTimeout == .seconds(300))
        #expect(defaults.queryCaches == QueryCacheConfiguration())

        let set = try ServerConfiguration.fromEnvironment([
            "PIPSIGHT_AUTH_DISABLED": "true", "PIPSIGHT_MAX_REQUEST_BYTES": "2048", "PIPSIGHT_MAX_QUESTION_CHARS": "500",
            "PIPSIGHT_MAX_K": "20", "PIPSIGHT_RATE_LIMIT": "2.5", "PIPSIGHT_RATE_BURST": "5",
            "PIPSIGHT_GENERATION_CONCURRENCY": "2", "PIPSIGHT_GENERATION_QUEUE": "0",
            "PIPSIGHT_DATABASE_CONNECT_TIMEOUT": "3", "PIPSIGHT_DATABASE_STATEMENT_TIMEOUT": "0",
            "PIPSIGHT_MAX_UPLOAD_BYTES": "1_000", "PIPSIGHT_FACTS_CACHE_SIZE": "10", "PIPSIGHT_ANSWER_CACHE_SIZE": "0",
            "PIPSIGHT_RETRIEVAL_CACHE_SIZE": "3", "PIPSIGHT_EMBEDDING_CACHE_SIZE": "4",
        ], database: url)
        #expect(set.queryCaches == QueryCacheConfiguration(facts: 10, answers: 0, retrievals: 3, embeddings: 4))
        #expect(set.authDisabled)
        #expect(set.maxRequestBytes == 2_048)
        #expect(set.queryLimits == .init(maxQuestionCharacters: 500, maxK: 20))
        #expect(set.rateLimitPerSecond == 2.5 && set.rateLimitBurst == 5)
        #expect(set.generationConcurrency == 2 && set.generationQueue == 0)
        #expect(set.databaseConnectTimeout == .seconds(3))
        #expect(set.databaseStatementTimeout == nil)
        #expect(set.maxUploadBytes == 1_000)

        for (key, value) in [
            ("PIPSIGHT_AUTH_DISABLED", "maybe"), ("PIPSIGHT_MAX_K", "0"), ("PIPSIGHT_RATE_LIMIT", "-1"),
            ("PIPSIGHT_PORT", "http"), ("PIPSIGHT_GENERATION_CONCURRENCY", "0"), ("PIPSIGHT_ANSWER_CACHE_SIZE", "-1"),
        ] {
            #expect {
                _ = try ServerConfiguration.fromEnvironment([key: value], database: url)
            } throws: { error in
                let error = error as? PipsightError
                return error?.code == .configuration && error?.message.contains(key) == true
            }
        }
    }

    @Test("the server's PostgreSQL connections run with PIPSIGHT_DATABASE_STATEMENT_TIMEOUT; a longer statement fails")
    func statementTimeout() async throws {
        var configuration = ServerConfiguration(database: try TestDatabase.adminURL())
        configuration.databaseStatementTimeout = .milliseconds(300)
        let client = PostgresClient(configuration: try configuration.databaseClientConfiguration(), backgroundLogger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let rows = try await client.query("SHOW statement_timeout", logger: TestDatabase.logger)
            var setting: String?
            for try await value in rows.decode(String.self) { setting = value }
            #expect(setting == "300ms")
            await #expect(throws: PSQLError.self) {
                // The error arrives with the rows.
                for try await _ in try await client.query("SELECT pg_sleep(2)", logger: TestDatabase.logger) {}
            }
        }
    }
}
