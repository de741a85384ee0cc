import Crypto
import Foundation

/// The text of an API key, `psk_<id>_<secret>`: `id` is 16 lowercase hex digits (public, stored), `secret`
/// 43 base64url characters (256 random bits, only its salted SHA-256 is stored).
public struct APIKeyToken: Sendable, Hashable {
    /// Every key starts with this, so a leaked key is recognisable (secret scanners, logs).
    public static let prefix = "psk_"
    static let idLength = 16
    static let secretLength = 43

    public var id: String
    public var secret: String

    /// The full key as the client sends it.
    public var text: String { "\(Self.prefix)\(id)_\(secret)" }

    /// A new key from the system's cryptographically secure random source.
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        let id = String(format: "%016llx", generator.next() as UInt64)
        let secret = base64URL(randomBytes(32))
        return APIKeyToken(id: id, secret: secret)
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// Reads `psk_<id>_<secret>`; nil when the text has another shape.
    public init?(parsing text: String) {
        let utf8 = Array(text.utf8)
        let prefix = Array(Self.prefix.utf8)
        guard utf8.count == prefix.count + Self.idLength + 1 + Self.secretLength,
              utf8.starts(with: prefix), utf8[prefix.count + Self.idLength] == UInt8(ascii: "_")
        else { return nil }
        let id = utf8[prefix.count..<(prefix.count + Self.idLength)]
        let secret = utf8[(prefix.count + Self.idLength + 1)...]
        let hex = Set("0123456789abcdef".utf8)
        let base64URL = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard id.allSatisfy(hex.contains), secret.allSatisfy(base64URL.contains) else { return nil }
        self.id = String(decoding: id, as: UTF8.self)
        self.secret = String(decoding: secret, as: UTF8.self)
    }

    /// SHA-256 of `salt` followed by the secret's bytes.
    public func hash(salt: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Data(secret.utf8))
        return Data(hasher.finalize())
    }

    /// `count` bytes from the system's cryptographically secure random source.
    static func randomBytes(_ count: Int) -> Data {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Data($0) }
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares two byte strings in time that depends only on their lengths, not on where they differ.
    public static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
