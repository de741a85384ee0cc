import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

/// The `pipsight` binary, killed with SIGKILL while it streams a file into PostgreSQL, leaves nothing behind.
@Suite("A killed ingest")
struct KilledIngestTests {
    /// The `pipsight` executable built beside the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pipsight")
    }

    /// Runs one query returning one integer.
    static func integer(_ url: DatabaseURL, _ query: PostgresQuery) async throws -> Int {
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password,
            database: url.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 7, logger: TestDatabase.logger)
        do {
            var value = 0
            for try await row in try await connection.query(query, logger: TestDatabase.logger).decode(Int.self) { value = row }
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func run(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL in the middle of COPY leaves no backtest, no trade, no event; a rerun stores the file")
    func killDuringCopy() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the pipsight product first (scripts/test does)")
        let sample = try SampleFile(.eventsJSON, seed: 5, trades: 40_000, name: "events.json")
        defer { sample.remove() }
        let file = sample.url

        try await TestDatabase.withEmptyDatabase { url in
            // --no-index: this is about the COPY; indexing 40,000 trades with the built-in model would take minutes.
            let arguments = ["ingest", "--no-index", "--database-url", url.connectionString, file.path]
            let process = try Self.run(arguments)
            let name = url.database
            var sawCopy = false
            for _ in 0..<3000 where process.isRunning {
                let copying = try await Self.integer(
                    url.withDatabase("postgres"),
                    "SELECT count(*)::integer FROM pg_stat_activity WHERE datname = \(name) AND query ILIKE 'COPY%' AND state = 'active'")
                if copying > 0 {
                    sawCopy = true
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            process.waitUntilExit()
            try #require(sawCopy, "the ingest finished before its COPY could be caught; nothing was killed")
            #expect(process.terminationReason == .uncaughtSignal)

            // The server notices the dropped connection and rolls back; nothing of the file is ever visible.
            for _ in 0..<200 {
                let open = try await Self.integer(
                    url.withDatabase("postgres"),
                    "SELECT count(*)::integer FROM pg_stat_activity WHERE datname = \(name) AND query ILIKE 'COPY%'")
                if open == 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await Self.integer(url, "SELECT count(*)::integer FROM backtests") == 0)
            #expect(try await Self.integer(url, "SELECT count(*)::integer FROM trades") == 0)
            #expect(try await Self.integer(url, "SELECT count(*)::integer FROM events") == 0)

            let rerun = try Self.run(arguments)
            rerun.waitUntilExit()
            #expect(rerun.terminationStatus == 0)
            #expect(try await Self.integer(url, "SELECT count(*)::integer FROM backtests") == 1)
            #expect(try await Self.integer(url, "SELECT count(*)::integer FROM trades") == 40_000)
        }
    }
}
