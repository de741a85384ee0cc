import Logging
import PostgresNIO
import PipsightCore

/// Applies the numbered migrations that a database lacks, all in one transaction (a failure leaves the schema
/// as it was). Safe to run from several processes at once: a transaction-scoped advisory lock serialises them.
public struct Migrator: Sendable {
    /// Arbitrary constant naming Pipsight's migration lock.
    static let advisoryLockKey: Int64 = 0x7069_7073_6967_6874

    public var client: PostgresClient
    public var logger: Logger
    public var migrations: [Migration]

    public init(client: PostgresClient, logger: Logger, migrations: [Migration] = Migration.all) {
        self.client = client
        self.logger = logger
        self.migrations = migrations
    }

    /// Applies what is missing and returns the versions it applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let logger = self.logger
        let migrations = self.migrations.sorted { $0.version < $1.version }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """, logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query(
                    "SELECT version FROM schema_migrations", logger: logger
                ).decode(Int.self) {
                    applied.insert(version)
                }
                var done: [Int] = []
                for migration in migrations where !applied.contains(migration.version) {
                    logger.info("applying migration", metadata: [
                        "migration.version": "\(migration.version)", "migration.name": "\(migration.name)",
                    ])
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                        logger: logger)
                    done.append(migration.version)
                }
                return done
            }
        } catch {
            throw PipsightError(.database, "could not migrate the database: \(String(reflecting: error))")
        }
    }
}
