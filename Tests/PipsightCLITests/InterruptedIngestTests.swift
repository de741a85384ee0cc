import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import Testing

/// Ctrl-C (SIGINT) while `pipsight ingest` streams a History CSV into PostgreSQL leaves nothing behind.
/// `scripts/bench/scale` does the same with a 5 GB file; this is the small version that runs in every test run.
@Suite("An interrupted ingest")
struct InterruptedIngestTests {
    @Test("SIGINT in the middle of COPY leaves no backtest and no trade; a rerun stores the file")
    func interruptDuringCopy() async throws {
        let binary = KilledIngestTests.binary
        #expect(FileManager.default.isExecutableFile(atPath: binary.path), "build the pipsight product first (scripts/test does)")
        let sample = try SampleFile(.historyCSV, seed: 6, trades: 40_000, name: "history.csv")
        defer { sample.remove() }
        let file = sample.url

        try await TestDatabase.withEmptyDatabase { url in
            // --no-index: this is about the COPY; indexing 40,000 trades with the built-in model would take minutes.
            let arguments = ["ingest", "--no-index", "--database-url", url.connectionString, file.path]
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let name = url.database
            var sawCopy = false
            for _ in 0..<3000 where process.isRunning {
                let copying = try await KilledIngestTests.integer(
                    url.withDatabase("postgres"),
                    "SELECT count(*)::integer FROM pg_stat_activity WHERE datname = \(name) AND query ILIKE 'COPY%' AND state = 'active'")
                if copying > 0 {
                    sawCopy = true
                    kill(process.processIdentifier, SIGINT)
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            process.waitUntilExit()
            try #require(sawCopy, "the ingest finished before its COPY could be caught; nothing was interrupted")
            // Ctrl-C is acted on at once: exit status 130 and a message saying what was kept.
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 130)
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(message.contains("interrupted: nothing of the file being ingested was stored"))

            for _ in 0..<200 {
                let open = try await KilledIngestTests.integer(
                    url.withDatabase("postgres"),
                    "SELECT count(*)::integer FROM pg_stat_activity WHERE datname = \(name) AND query ILIKE 'COPY%'")
                if open == 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM backtests") == 0)
            #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM trades") == 0)

            let rerun = try KilledIngestTests.run(arguments)
            rerun.waitUntilExit()
            #expect(rerun.terminationStatus == 0)
            #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM trades") == 40_000)
        }
    }
}
