import Foundation
import PipsightTesting
import Testing

/// `pipsight keys create|list|revoke` as an operator runs them: the binary, a real database.
@Suite("pipsight keys")
struct KeysCommandTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func createListRevoke() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: StatsCommandTests.binary.path), "build the pipsight product first")
        try await TestDatabase.withEmptyDatabase { url in
            let database = ["--database-url", url.connectionString]
            let empty = try StatsCommandTests.run(["keys", "list"] + database)
            #expect(empty.status == 0, "\(empty.error)")
            #expect(empty.output.contains("no API keys yet"))

            // Plain output: the key alone on standard output, the explanation on standard error.
            let plain = try StatsCommandTests.run(["keys", "create", "--name", "laptop", "--scope", "write"] + database)
            #expect(plain.status == 0, "\(plain.error)")
            let key = plain.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(key.hasPrefix("psk_") && key.count == 64)
            #expect(plain.error.contains("not shown again"))

            let created = try StatsCommandTests.run(["keys", "create", "--name", "dashboard", "--json"] + database)
            #expect(created.status == 0, "\(created.error)")
            let json = try Self.object(created.output)
            let id = try #require(json["id"] as? String)
            #expect((json["key"] as? String)?.hasPrefix("psk_\(id)_") == true)
            #expect(json["scopes"] as? [String] == ["read"])

            let listed = try StatsCommandTests.run(["keys", "list"] + database)
            #expect(listed.output.contains("dashboard") && listed.output.contains("read,write"))
            #expect(listed.output.contains("never"))
            #expect(!listed.output.contains(key), "list must never show a key's secret")

            let revoke = try StatsCommandTests.run(["keys", "revoke", id] + database)
            #expect(revoke.status == 0, "\(revoke.error)")
            #expect(revoke.output.contains("revoked key \(id)"))
            let after = try StatsCommandTests.run(["keys", "list", "--json"] + database)
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [[String: Any]])
            #expect(keys.count == 2)
            #expect(keys.first { $0["id"] as? String == id }?["revokedAt"] is String)
            #expect(keys.first { $0["name"] as? String == "laptop" }?["revokedAt"] == nil)

            let unknown = try StatsCommandTests.run(["keys", "revoke", "ffffffffffffffff"] + database)
            #expect(unknown.status == 1)
            #expect(unknown.error.contains("[not_found]"))
            let badScope = try StatsCommandTests.run(["keys", "create", "--name", "x", "--scope", "admin"] + database)
            #expect(badScope.status != 0)
        }
    }
}
