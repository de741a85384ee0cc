import Foundation
import PipsightTesting
import Testing

/// `pipsight stats` and `pipsight compare` as a trader runs them: the binary, a real database.
@Suite("pipsight stats and compare")
struct StatsCommandTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pipsight")
    }

    /// Runs the binary; returns the exit status, standard output and standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// The small events.json (two positions on Tuesday 2023-11-14 22:13 UTC: +100 by T/P, −100 by hand).
    @Test func statsPrintsTablesAndRejectsBadArguments() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the pipsight product first (scripts/test does)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-stats-\(UUID().uuidString).json")
        try Data(TestFixtures.smallEvents.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await TestDatabase.withEmptyDatabase { url in
            let database = ["--database-url", url.connectionString]
            let ingest = try Self.run(["ingest", "--no-index", "--json", file.path] + database)
            #expect(ingest.status == 0, "\(ingest.error)")
            let listed = try Self.run(["backtests", "--json"] + database)
            let backtests = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
            let id = try #require(backtests?.first?["id"] as? String)

            let stats = try Self.run(["stats", String(id.prefix(8)), "--by", "weekday,exit", "--time-zone", "Asia/Tokyo"] + database)
            #expect(stats.status == 0, "\(stats.error)")
            #expect(stats.output.contains("By weekday (Asia/Tokyo)"))
            #expect(stats.output.contains("Wednesday"))
            #expect(stats.output.contains("Reconciliation: 2 figures checked against the export: all agree within rounding."))
            #expect(stats.output.contains("Max equity drawdown"))

            let json = try Self.run(["stats", id, "--json", "--by", "hour"] + database)
            let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            let hours = (report?["breakdowns"] as? [String: Any])?["hour"] as? [[String: Any]]
            #expect(hours?.map { $0["key"] as? String } == ["22"])

            let compare = try Self.run(["compare", id, "--rank-by", "netProfit"] + database)
            #expect(compare.status == 0, "\(compare.error)")
            #expect(compare.output.contains("Ranked by netProfit"))

            let badBreakdown = try Self.run(["stats", id, "--by", "moon"] + database)
            #expect(badBreakdown.status == 1)
            #expect(badBreakdown.error.contains("unknown breakdown \"moon\""))
            let badZone = try Self.run(["stats", id, "--time-zone", "Mars/Olympus"] + database)
            #expect(badZone.status == 1)
            let unknown = try Self.run(["stats", "ffffffff"] + database)
            #expect(unknown.status == 1)
            #expect(unknown.error.contains("[not_found]"))
        }
    }
}
