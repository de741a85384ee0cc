import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

/// `pipsight cbot` as a trader runs it: the sample generator's exports ingested with `TestDatabase.withStore`,
/// then the binary writes the cBot, the spec and the report, and generates again from an edited spec.
@Suite("pipsight cbot")
struct CBotCommandTests {
    static let generator = SampleGenerator(seed: 11, trades: 5_000)

    @Test func generatesFromDetectionAndFromAnEditedSpec() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: StatsCommandTests.binary.path), "build the pipsight product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-cbot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let truth = Self.generator.groundTruth
        try await TestDatabase.withStore { store, url in
            let report = try await store.ingest(ImportInput(name: "report.json", data: Self.generator.write(.reportJSON)))
            let optres = try await store.ingest(ImportInput(name: "run.optres", data: Self.generator.write(.optres)))
            guard case .ingested(let reportBacktest) = report, case .ingested(let optresBacktest) = optres else {
                Issue.record("the sample exports were not ingested: \(report), \(optres)")
                return
            }
            let reportID = reportBacktest.id
            let optresID = optresBacktest.id
            let database = ["--database-url", url.connectionString]
            let path = { (name: String) in directory.appendingPathComponent(name).path }

            let first = try StatsCommandTests.run(
                ["cbot", String(reportID.uuidString.lowercased().prefix(8)), "--template", "sma", "-o", path("Bot.cs"),
                 "--report", path("report.md"), "--report-json", path("report.json"), "--spec-out", path("spec.json"),
                 "--passes-from", optresID.uuidString] + database)
            #expect(first.status == 0, "\(first.error)")
            let source = try String(contentsOfFile: path("Bot.cs"), encoding: .utf8)
            #expect(source.contains("public class SampleTrendCBot : Robot"))
            #expect(source.contains("if (BlockFriday && time.DayOfWeek == DayOfWeek.Friday)"))
            #expect(source.contains("Group = \"Best optimisation pass\""))
            let markdown = try String(contentsOfFile: path("report.md"), encoding: .utf8)
            #expect(markdown.contains("In-sample"))
            let reportJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("report.json")))) as? [String: Any])
            #expect((reportJSON["inSample"] as? [String: Any])?["tradeCount"] as? Int == truth.tradeCount)

            // Edit the spec: no weekday filter, one hour of our own; generate and replay it.
            var spec = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("spec.json")))) as? [String: Any])
            #expect(spec["version"] as? Int == 1)
            spec["blockedWeekdays"] = []
            spec["blockedHours"] = [["hour": 3, "evidence": ["summary": "edited by hand", "trades": 0]]]
            try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: path("edited.json")))
            let second = try StatsCommandTests.run(
                ["cbot", reportID.uuidString, "--spec", path("edited.json"), "--report", path("edited.md")] + database)
            #expect(second.status == 0, "\(second.error)")
            #expect(second.output.contains("if (BlockHour03 && time.Hour == 3)"))
            #expect(!second.output.contains("BlockFriday"))
            #expect(try String(contentsOfFile: path("edited.md"), encoding: .utf8).contains("edited by hand"))

            // A spec alone gives C#, no report.
            let specOnly = try StatsCommandTests.run(["cbot", "--spec", path("edited.json"), "--template", "rsi"])
            #expect(specOnly.status == 0, "\(specOnly.error)")
            #expect(specOnly.output.contains("Indicators.RelativeStrengthIndex"))
            let noTrades = try StatsCommandTests.run(["cbot", "--spec", path("edited.json"), "--report", path("x.md")])
            #expect(noTrades.status == 1)
            #expect(noTrades.error.contains("needs the trades"))

            let badTemplate = try StatsCommandTests.run(["cbot", reportID.uuidString, "--template", "macd"] + database)
            #expect(badTemplate.status == 1)
            #expect(badTemplate.error.contains("unknown template \"macd\""))
            let badDate = try StatsCommandTests.run(["cbot", reportID.uuidString, "--split-date", "soon"] + database)
            #expect(badDate.status == 1)
            #expect(badDate.error.contains("split date \"soon\""))
        }
    }
}
