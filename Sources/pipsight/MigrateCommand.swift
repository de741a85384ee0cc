import ArgumentParser
import PostgresStore

/// `pipsight migrate`: apply the schema migrations the database lacks (the other commands do it too).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the numbered schema migrations the database lacks.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let url = try database.url()
        try await Terminal.run {
            try await database.withStore { _ in () }
        }
        print("database \(url) is at schema version \(Migration.all.map(\.version).max() ?? 0)")
    }
}
