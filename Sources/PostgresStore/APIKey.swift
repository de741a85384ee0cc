import Foundation

/// What an API key may do. `read` covers every request that changes no stored data (listing, statistics,
/// questions, cBot generation); `write` is needed for requests that store or delete data (uploads).
public enum APIKeyScope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case read
    case write

    public static func < (lhs: APIKeyScope, rhs: APIKeyScope) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// A stored API key as `pipsight keys list` shows it: never the secret, which only its creator saw once.
public struct APIKey: Sendable, Hashable, Codable {
    /// The public part of the key (`psk_<id>_…`), used to look it up and to revoke it.
    public var id: String
    public var name: String
    public var scopes: [APIKeyScope]
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String, name: String, scopes: [APIKeyScope], createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// Whether the key carries `scope`.
    public func allows(_ scope: APIKeyScope) -> Bool {
        scopes.contains(scope)
    }
}

/// The outcome of checking a presented key.
public enum APIKeyCheck: Sendable, Hashable {
    /// The key exists, its secret matches and it is not revoked.
    case valid(APIKey)
    /// The secret matches but the key was revoked.
    case revoked(APIKey)
    /// No key with this id and secret (the two cases are not told apart, so ids cannot be probed).
    case unknown
    /// The text is not shaped like a Pipsight key.
    case malformed
}
