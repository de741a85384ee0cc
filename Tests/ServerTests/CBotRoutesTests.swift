import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import Testing

@Suite("POST /v1/backtests/{id}/cbot")
struct CBotRoutesTests {
    static let generator = SampleGenerator(seed: 5, trades: 3_000)

    /// Uploads the generator's report.json and returns the new backtest id.
    static func upload(_ client: any TestClientProtocol) async throws -> String {
        let id = try await client.execute(
            uri: "/v1/backtests?name=report.json", method: .post, body: ByteBuffer(bytes: generator.write(.reportJSON))
        ) { response in
            #expect(response.status == .created)
            let files = try #require(try ServerTests.json(response.body)["files"] as? [[String: Any]])
            return files.first?["id"] as? String
        }
        return try #require(id)
    }

    @Test("returns the C#, the spec and the report; the filters it proposes lost money in the ground truth")
    func generates() async throws {
        let truth = Self.generator.groundTruth
        try await ServerTests.withServer(maxUploadBytes: 64 << 20) { client in
            let id = try await Self.upload(client)
            try await client.execute(
                uri: "/v1/backtests/\(id)/cbot", method: .post, body: ByteBuffer(string: #"{"template": "rsi"}"#)
            ) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let source = try #require(body["source"] as? String)
                #expect(source.contains("AccessRights = AccessRights.None"))
                #expect(source.contains("Indicators.RelativeStrengthIndex"))
                let spec = try #require(body["spec"] as? [String: Any])
                #expect(spec["version"] as? Int == 1)
                #expect(spec["template"] as? String == "rsi")
                let hours = try #require(spec["blockedHours"] as? [[String: Any]])
                #expect(!hours.isEmpty)
                for hour in hours.compactMap({ $0["hour"] as? Int }) {
                    #expect((truth.netByOpenHour[String(format: "%02d", hour)] ?? 0) < 0)
                }
                let report = try #require(body["report"] as? [String: Any])
                let inSample = try #require(report["inSample"] as? [String: Any])
                #expect(inSample["tradeCount"] as? Int == truth.tradeCount)
                #expect((body["reportMarkdown"] as? String)?.contains("In-sample") == true)
            }
        }
    }

    @Test("an edited spec in the body is used as given; bad input is refused")
    func specAndErrors() async throws {
        try await ServerTests.withServer(maxUploadBytes: 64 << 20) { client in
            let id = try await Self.upload(client)
            let spec = """
                {"version": 1, "name": "Mine", "label": "mine", "timeZone": "UTC", "template": "sma", "volumeInUnits": 1000,
                 "maxOpenPositions": 1, "entry": {"fastPeriods": 5, "slowPeriods": 30, "rsiPeriods": 14, "oversold": 30, "overbought": 70},
                 "blockedWeekdays": [{"weekday": "monday", "evidence": {"summary": "my rule", "trades": 0}}], "blockedHours": [],
                 "method": {"test": "manual", "minimumTrades": 30, "significance": 0.01, "groupsTested": 0, "resamples": 0, "seed": 1}}
                """
            try await client.execute(
                uri: "/v1/backtests/\(id)/cbot", method: .post, body: ByteBuffer(string: #"{"spec": \#(spec), "splitDate": "2024-06-01"}"#)
            ) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let source = try #require(body["source"] as? String)
                #expect(source.contains("public class MineBot : Robot"))
                #expect(source.contains("BlockMonday && time.DayOfWeek == DayOfWeek.Monday"))
                let report = try #require(body["report"] as? [String: Any])
                #expect(report["outOfSample"] is [String: Any])
            }
            try await client.execute(uri: "/v1/backtests/\(id)/cbot", method: .post, body: ByteBuffer(string: #"{"template": "macd"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/backtests/\(id)/cbot", method: .post, body: ByteBuffer(string: #"{"spec": {"version": 9}}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try #require(try ServerTests.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_spec")
            }
            try await client.execute(uri: "/v1/backtests/\(UUID())/cbot", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
