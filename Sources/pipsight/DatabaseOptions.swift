import ArgumentParser
import Foundation
import Logging
import PipsightCore
import PostgresNIO
import PostgresStore

/// `--database-url`, shared by every command that talks to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: $PIPSIGHT_DATABASE_URL).")
    var databaseURL: String?

    @Flag(name: .long, help: "Log debug details to standard error.")
    var verbose = false

    func url() throws -> DatabaseURL {
        if let databaseURL { return try DatabaseURL(databaseURL) }
        return try DatabaseURL.fromEnvironment()
    }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    /// Runs `body` with a connected, migrated store, and shuts the client down afterwards.
    func withStore<T: Sendable>(
        label: String = "pipsight",
        _ body: @Sendable @escaping (BacktestStore) async throws -> T
    ) async throws -> T {
        let logger = self.logger(label)
        // The pool's own chatter (e.g. a lease racing `run()` at start) is not the user's business unless --verbose.
        var background = logger
        if !verbose { background.logLevel = .error }
        let client = PostgresClient(configuration: try url().clientConfiguration(), backgroundLogger: background)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            try await Migrator(client: client, logger: logger).migrate()
            let result = try await body(BacktestStore(client: client, logger: logger))
            return result
        }
    }
}
