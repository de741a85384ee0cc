import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test("a new database gets every migration, a second run applies none")
    func appliesOnce() async throws {
        try await TestDatabase.withStore(migrate: false) { store, _ in
            let first = try await Migrator(client: store.client, logger: store.logger).migrate()
            #expect(first == Migration.all.map(\.version).sorted())
            let second = try await Migrator(client: store.client, logger: store.logger).migrate()
            #expect(second.isEmpty)
        }
    }

    @Test("migrations started concurrently apply each version exactly once")
    func concurrentMigrations() async throws {
        try await TestDatabase.withStore(migrate: false) { store, _ in
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await Migrator(client: store.client, logger: store.logger).migrate() }
                }
                var all: [Int] = []
                for try await versions in group { all += versions }
                return all
            }
            #expect(applied.sorted() == Migration.all.map(\.version).sorted())
            let rows = try await store.client.query("SELECT count(*) FROM schema_migrations", logger: store.logger)
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            #expect(count == Migration.all.count)
        }
    }

    @Test("migration versions are unique and increasing")
    func versionsAreOrdered() {
        let versions = Migration.all.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
    }
}
