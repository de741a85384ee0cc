import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// A fresh PostgreSQL database per test, created from `PIPSIGHT_DATABASE_URL` (which `scripts/test` sets after
/// starting the private server) and dropped afterwards, so tests never see each other's rows.
public enum TestDatabase {
    /// Raised when `PIPSIGHT_DATABASE_URL` is missing: the tests need the private PostgreSQL.
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "PIPSIGHT_DATABASE_URL is not set: run the tests with ./scripts/test, which starts a private PostgreSQL"
        }
    }

    /// A quiet logger for tests.
    public static let logger: Logger = {
        var logger = Logger(label: "pipsight.tests")
        logger.logLevel = .error
        return logger
    }()

    /// The server's own database URL.
    public static func adminURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment[DatabaseURL.environmentKey], !text.isEmpty else {
            throw NotConfigured()
        }
        return try DatabaseURL(text)
    }

    /// Runs `body` with the URL of a new, empty database, then drops it.
    public static func withEmptyDatabase<T: Sendable>(
        _ body: @Sendable (DatabaseURL) async throws -> T
    ) async throws -> T {
        let admin = try adminURL()
        let name = "pipsight_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await execute(on: admin, "CREATE DATABASE \"\(name)\"")
        do {
            let result = try await body(admin.withDatabase(String(name)))
            try await execute(on: admin, "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
            return result
        } catch {
            try? await execute(on: admin, "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
            throw error
        }
    }

    /// Runs `body` with a store on a new database (migrated unless `migrate` is false), then drops it.
    public static func withStore<T: Sendable>(
        migrate: Bool = true,
        _ body: @Sendable @escaping (BacktestStore, DatabaseURL) async throws -> T
    ) async throws -> T {
        try await withEmptyDatabase { url in
            var configuration = try url.clientConfiguration()
            configuration.options.maximumConnections = 4
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                if migrate { try await Migrator(client: client, logger: logger).migrate() }
                return try await body(BacktestStore(client: client, logger: logger), url)
            }
        }
    }

    /// Runs one statement on `url`'s database over a short-lived connection. Only for statements that cannot take
    /// bind parameters (CREATE/DROP DATABASE) with names the tests generate, never input.
    public static func execute(on url: DatabaseURL, _ sql: String) async throws {
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password,
            database: url.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
