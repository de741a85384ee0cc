import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Creates a key and returns it with its full text, which is shown once and never stored (only a salted
    /// SHA-256 of its secret is).
    public func createAPIKey(name: String, scopes: Set<APIKeyScope>) async throws -> (key: APIKey, token: APIKeyToken) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw PipsightError(.badRequest, "a key needs a name of 1 to 200 characters")
        }
        guard !scopes.isEmpty else { throw PipsightError(.badRequest, "a key needs at least one scope (read, write)") }
        let token = APIKeyToken.generate()
        let salt = APIKeyToken.randomBytes(16)
        let hash = token.hash(salt: salt)
        let scopeNames = scopes.sorted().map(\.rawValue)
        let created = try await database("creating an API key") {
            let rows = try await client.query(
                """
                INSERT INTO api_keys (id, name, scopes, salt, secret_hash)
                VALUES (\(token.id), \(trimmed), \(scopeNames), \(salt), \(hash)) RETURNING created_at
                """, logger: logger)
            for try await date in rows.decode(Date.self) { return date }
            throw PipsightError(.database, "the new API key was not stored")
        }
        return (APIKey(id: token.id, name: trimmed, scopes: scopes.sorted(), createdAt: created), token)
    }

    /// Every key, oldest first, revoked ones included.
    public func apiKeys() async throws -> [APIKey] {
        try await database("listing API keys") {
            let rows = try await client.query(
                """
                SELECT id, name, scopes, created_at, last_used_at, revoked_at
                FROM api_keys ORDER BY created_at, id
                """, logger: logger)
            var keys: [APIKey] = []
            for try await row in rows.decode((String, String, [String], Date, Date?, Date?).self) {
                keys.append(Self.apiKey(row))
            }
            return keys
        }
    }

    /// Revokes the key with `id` (at once: the next request with it gets 401). Returns the key, nil when there is
    /// none; revoking a revoked key keeps its first revocation time.
    @discardableResult
    public func revokeAPIKey(id: String) async throws -> APIKey? {
        try await database("revoking an API key") {
            let rows = try await client.query(
                """
                UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(id)
                RETURNING id, name, scopes, created_at, last_used_at, revoked_at
                """, logger: logger)
            for try await row in rows.decode((String, String, [String], Date, Date?, Date?).self) {
                return Self.apiKey(row)
            }
            return nil
        }
    }

    /// Checks a presented key: looks up its id, hashes the secret with the stored salt and compares in constant
    /// time. An unknown id costs a hash too, so timing does not tell which ids exist.
    public func checkAPIKey(_ text: String) async throws -> APIKeyCheck {
        guard let token = APIKeyToken(parsing: text) else { return .malformed }
        typealias Stored = (key: APIKey, salt: Data, hash: Data)
        let stored: Stored? = try await database("checking an API key") { () async throws -> Stored? in
            let rows = try await client.query(
                """
                SELECT id, name, scopes, created_at, last_used_at, revoked_at, salt, secret_hash
                FROM api_keys WHERE id = \(token.id)
                """, logger: logger)
            for try await row in rows.decode((String, String, [String], Date, Date?, Date?, Data, Data).self) {
                return (key: Self.apiKey((row.0, row.1, row.2, row.3, row.4, row.5)), salt: row.6, hash: row.7)
            }
            return nil
        }
        guard let stored else {
            _ = APIKeyToken.constantTimeEqual(token.hash(salt: Data(count: 16)), Data(count: 32))
            return .unknown
        }
        guard APIKeyToken.constantTimeEqual(token.hash(salt: stored.salt), stored.hash) else { return .unknown }
        return stored.key.isRevoked ? .revoked(stored.key) : .valid(stored.key)
    }

    /// Sets the key's last-used time to now.
    public func recordAPIKeyUse(id: String) async throws {
        try await database("recording an API key's use") {
            try await client.query("UPDATE api_keys SET last_used_at = now() WHERE id = \(id)", logger: logger)
        }
    }

    static func apiKey(_ row: (String, String, [String], Date, Date?, Date?)) -> APIKey {
        APIKey(
            id: row.0, name: row.1, scopes: row.2.compactMap(APIKeyScope.init(rawValue:)).sorted(), createdAt: row.3,
            lastUsedAt: row.4, revokedAt: row.5)
    }
}
