import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import PostgresStore
import Server
import Testing

/// `/v1` requires `Authorization: Bearer <key>`: 401 for a missing, malformed, unknown or revoked key, 403 for a
/// key without the scope, and open health routes.
@Suite("API keys on /v1")
struct AuthTests {
    /// A router with authentication on (the rate limit off) over a fresh, migrated database.
    static func withRouter(
        _ body: @Sendable @escaping (any TestClientProtocol, BacktestStore) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store, url in
            var configuration = ServerConfiguration(database: url)
            configuration.rateLimitPerSecond = 0
            let router = buildRouter(store: store, configuration: configuration)
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { try await body($0, store) }
        }
    }

    static func bearer(_ key: String) -> HTTPFields {
        [.authorization: "Bearer \(key)"]
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    @Test("no key, another scheme, a malformed key and an unknown key are 401 with WWW-Authenticate: Bearer")
    func unauthorized() async throws {
        try await Self.withRouter { client, _ in
            let unknown = "psk_0123456789abcdef_" + String(repeating: "A", count: 43)
            let cases: [(HTTPFields, String)] = [
                ([:], #"Bearer realm="pipsight""#),
                ([.authorization: "Basic dXNlcjpwYXNz"], #"Bearer realm="pipsight", error="invalid_request""#),
                (Self.bearer("not-a-key"), #"Bearer realm="pipsight", error="invalid_token""#),
                (Self.bearer(unknown), #"Bearer realm="pipsight", error="invalid_token""#),
            ]
            for (headers, challenge) in cases {
                try await client.execute(uri: "/v1/backtests", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == challenge)
                    let value = try Self.errorCode(response)
                    #expect(value == "unauthorized")
                }
            }
            // The health route stays open.
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a valid key is 200 and its last use is recorded; a wrong secret for its id is 401")
    func validKey() async throws {
        try await Self.withRouter { client, store in
            let (key, token) = try await store.createAPIKey(name: "dashboard", scopes: [.read])
            #expect(try await store.apiKeys().first?.lastUsedAt == nil)
            try await client.execute(uri: "/v1/backtests", method: .get, headers: Self.bearer(token.text)) { response in
                #expect(response.status == .ok)
            }
            // A read key may ask questions: POST /v1/query stores nothing.
            try await client.execute(
                uri: "/v1/query", method: .post, headers: Self.bearer(token.text),
                body: ByteBuffer(string: #"{"question": "What is the win rate?"}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            let listed = try #require(try await store.apiKeys().first)
            #expect(listed.id == key.id)
            let used = try #require(listed.lastUsedAt)
            #expect(used >= key.createdAt)

            let forged = "psk_\(key.id)_" + String(repeating: "B", count: 43)
            try await client.execute(uri: "/v1/backtests", method: .get, headers: Self.bearer(forged)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("a read key uploading is 403 insufficient_scope; a write key uploads")
    func scopes() async throws {
        try await Self.withRouter { client, store in
            let (_, reader) = try await store.createAPIKey(name: "reader", scopes: [.read])
            let (_, writer) = try await store.createAPIKey(name: "writer", scopes: [.read, .write])
            let events = ByteBuffer(string: TestFixtures.smallEvents)
            try await client.execute(
                uri: "/v1/backtests?name=events.json", method: .post, headers: Self.bearer(reader.text), body: events
            ) { response in
                #expect(response.status == .forbidden)
                let value = try Self.errorCode(response)
                #expect(value == "insufficient_scope")
                #expect(response.headers[.wwwAuthenticate]?.contains(#"error="insufficient_scope", scope="write""#) == true)
            }
            try await client.execute(uri: "/v1/backtests", method: .get, headers: Self.bearer(reader.text)) { response in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((object?["backtests"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(
                uri: "/v1/backtests?name=events.json", method: .post, headers: Self.bearer(writer.text), body: events
            ) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test("a revoked key is 401 at once")
    func revoked() async throws {
        try await Self.withRouter { client, store in
            let (key, token) = try await store.createAPIKey(name: "laptop", scopes: [.read])
            try await client.execute(uri: "/v1/backtests", method: .get, headers: Self.bearer(token.text)) { response in
                #expect(response.status == .ok)
            }
            let revoked = try #require(try await store.revokeAPIKey(id: key.id))
            #expect(revoked.revokedAt != nil)
            try await client.execute(uri: "/v1/backtests", method: .get, headers: Self.bearer(token.text)) { response in
                #expect(response.status == .unauthorized)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(((object?["error"] as? [String: Any])?["message"] as? String)?.contains("revoked") == true)
            }
            #expect(try await store.revokeAPIKey(id: "ffffffffffffffff") == nil)
        }
    }

    @Test("only a salted hash is stored: the secret appears nowhere in the table and two keys' salts differ")
    func storedHashed() async throws {
        try await TestDatabase.withStore { store, _ in
            let (_, first) = try await store.createAPIKey(name: "one", scopes: [.read])
            let (_, second) = try await store.createAPIKey(name: "two", scopes: [.read])
            #expect(first.text.hasPrefix("psk_") && first.text.count == 64)
            #expect(first.secret != second.secret)
            let rows = try await store.client.query(
                "SELECT encode(salt, 'hex'), encode(secret_hash, 'hex'), name, id FROM api_keys", logger: TestDatabase.logger)
            var salts: Set<String> = []
            for try await (salt, hash, name, id) in rows.decode((String, String, String, String).self) {
                salts.insert(salt)
                #expect(hash.count == 64)
                for text in [salt, hash, name, id] {
                    #expect(!text.contains(first.secret) && !text.contains(second.secret))
                }
            }
            #expect(salts.count == 2)
        }
    }

    @Test("key text: parsing accepts only psk_<16 hex>_<43 base64url>; comparison is exact")
    func tokenShape() {
        let token = APIKeyToken.generate()
        #expect(APIKeyToken(parsing: token.text) == token)
        #expect(APIKeyToken(parsing: token.text + "x") == nil)
        #expect(APIKeyToken(parsing: token.text.uppercased()) == nil)
        #expect(APIKeyToken(parsing: "psk_0123456789abcdeg_" + String(repeating: "A", count: 43)) == nil)
        #expect(APIKeyToken(parsing: "psk_0123456789abcdef_" + String(repeating: "+", count: 43)) == nil)
        #expect(APIKeyToken.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 3])))
        #expect(!APIKeyToken.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 4])))
        #expect(!APIKeyToken.constantTimeEqual(Data([1, 2, 3]), Data([1, 2])))
    }
}
