import ArgumentParser
import Foundation
import PipsightCore
import PostgresStore

/// `pipsight keys`: the API keys that `/v1` requires (see docs/security.md).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the API keys the HTTP API requires.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// What a key may do: `read` (everything that stores nothing) or `write` (uploads too; includes read).
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case read
        case write

        var scopes: Set<APIKeyScope> { self == .read ? [.read] : [.read, .write] }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it once (only a salted hash is stored).")

        @Option(help: "A name saying who or what uses the key.")
        var name: String

        @Option(help: "read: every request that stores nothing; write: uploads too (includes read).")
        var scope: Scope = .read

        @Flag(help: "Print JSON (id, name, scopes, createdAt, key).")
        var json = false

        @OptionGroup var database: DatabaseOptions

        struct Created: Encodable {
            var id: String
            var name: String
            var scopes: [APIKeyScope]
            var createdAt: Date
            var key: String
        }

        func run() async throws {
            let (key, token) = try await Terminal.run {
                try await database.withStore { try await $0.createAPIKey(name: name, scopes: scope.scopes) }
            }
            if json {
                try printJSON(Created(id: key.id, name: key.name, scopes: key.scopes, createdAt: key.createdAt, key: token.text))
                return
            }
            print(token.text)
            Terminal.error(
                "created key \(key.id) \"\(key.name)\" (scopes: \(key.scopes.map(\.rawValue).joined(separator: ", "))). "
                    + "Store it now: it is not shown again. Send it as `Authorization: Bearer <key>`.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys: id, name, scopes, created, last used, revoked.")

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let keys = try await Terminal.run { try await database.withStore { try await $0.apiKeys() } }
            if json {
                try printJSON(keys)
                return
            }
            print(KeyTable.render(keys))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; requests with it get 401 at once.")

        @Argument(help: "The key's id (as `keys list` shows it, or the part after psk_ of the key).")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = self.id.hasPrefix(APIKeyToken.prefix)
                ? String(self.id.dropFirst(APIKeyToken.prefix.count).prefix(while: { $0 != "_" })) : self.id
            let revoked = try await Terminal.run {
                guard let key = try await database.withStore({ try await $0.revokeAPIKey(id: id) }) else {
                    throw PipsightError(.notFound, "no API key with id \"\(id)\"; `pipsight keys list` shows them")
                }
                return key
            }
            print("revoked key \(revoked.id) \"\(revoked.name)\"")
        }
    }
}

/// A plain-text table of API keys.
enum KeyTable {
    static func render(_ keys: [APIKey]) -> String {
        guard !keys.isEmpty else { return "no API keys yet: run `pipsight keys create --name NAME`" }
        let header = ["id", "name", "scopes", "created", "last used", "revoked"]
        let format = Date.ISO8601FormatStyle(timeZone: .gmt)
        var rows: [[String]] = [header]
        for key in keys {
            rows.append([
                key.id, key.name, key.scopes.map(\.rawValue).joined(separator: ","), key.createdAt.formatted(format),
                key.lastUsedAt?.formatted(format) ?? "never", key.revokedAt?.formatted(format) ?? "-",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
