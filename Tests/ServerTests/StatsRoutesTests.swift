import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightTesting
import Testing

/// `GET /v1/backtests/{id}/stats` and `/equity` on the small hand-written events.json: position 1 buys
/// and hits its take profit (+100, balance 1000 → 1100), position 2 sells and is closed by hand (−100,
/// back to 1000), both opened on Tuesday 2023-11-14 at 22:13 UTC.
@Suite("HTTP API: statistics")
struct StatsRoutesTests {
    static func upload(_ client: any TestClientProtocol, _ text: String) async throws -> String {
        let id = try await client.execute(
            uri: "/v1/backtests?name=events.json", method: .post, body: ByteBuffer(string: text)
        ) { response in
            let files = try ServerTests.json(response.body)["files"] as? [[String: Any]]
            return files?.first?["id"] as? String
        }
        return try #require(id)
    }

    @Test("stats: totals, drawdowns, breakdowns in a time zone, reconciliation")
    func stats() async throws {
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client, TestFixtures.smallEvents)
            try await client.execute(uri: "/v1/backtests/\(id)/stats?by=weekday,hour,exit&timeZone=Asia/Tokyo", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let statistics = try #require(body["statistics"] as? [String: Any])
                let all = try #require(statistics["all"] as? [String: Any])
                #expect(all["tradeCount"] as? Int == 2)
                #expect(all["winningTrades"] as? Int == 1)
                #expect(all["netProfit"] as? Double == 0)
                #expect(all["profitFactor"] as? Double == 1)
                #expect(statistics["startingBalance"] as? Double == 1000)
                #expect(statistics["maxBalanceDrawdown"] as? Double == 100)
                let percent = try #require(statistics["maxBalanceDrawdownPercent"] as? Double)
                #expect(abs(percent - 100.0 / 1100.0 * 100) < 1e-9)
                #expect(statistics["maxEquityDrawdown"] as? Double == 100)
                let breakdowns = try #require(body["breakdowns"] as? [String: [[String: Any]]])
                // 22:13 UTC on Tuesday is 07:13 on Wednesday in Tokyo.
                #expect(breakdowns["weekday"]?.map { $0["label"] as? String } == ["Wednesday"])
                #expect(breakdowns["hour"]?.map { $0["key"] as? String } == ["07"])
                #expect(breakdowns["exitReason"]?.map { $0["key"] as? String } == ["take_profit", "manual"])
                #expect(body["timeZone"] as? String == "Asia/Tokyo")
                let reconciliation = try #require(body["reconciliation"] as? [String: Any])
                #expect(reconciliation["checked"] as? Int == 2)
                #expect((reconciliation["differences"] as? [Any])?.isEmpty == true)
                #expect(reconciliation["differing"] as? Int == 0)
                // The first report stored the outcome: when, in the response.
                #expect((reconciliation["checkedAt"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("equity: per trade, per day, drawdown periods")
    func equity() async throws {
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client, TestFixtures.smallEvents)
            try await client.execute(uri: "/v1/backtests/\(id)/equity", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let points = try #require(body["points"] as? [[String: Any]])
                #expect(points.map { $0["balance"] as? Double } == [1100, 1000])
                let daily = try #require(body["daily"] as? [[String: Any]])
                #expect(daily.map { $0["date"] as? String } == ["2023-11-14"])
                let drawdowns = try #require(body["drawdowns"] as? [[String: Any]])
                #expect(drawdowns.count == 1)
                #expect(drawdowns.first?["depth"] as? Double == 100)
                #expect(drawdowns.first?["recovery"] is NSNull || drawdowns.first?["recovery"] == nil)
            }
        }
    }

    @Test("all winners: profitFactor is null with profitFactorInfinite true, never a non-JSON number")
    func allWinners() async throws {
        try await ServerTests.withServer { client in
            let events = try #require(try JSONSerialization.jsonObject(with: Data(TestFixtures.smallEvents.utf8)) as? [Any])
            let firstPosition = String(decoding: try JSONSerialization.data(withJSONObject: Array(events.prefix(3))), as: UTF8.self)
            let id = try await Self.upload(client, firstPosition)
            try await client.execute(uri: "/v1/backtests/\(id)/stats?by=all", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains("Infinity") && !text.contains("NaN"))
                let body = try ServerTests.json(response.body)
                let all = try #require((body["statistics"] as? [String: Any])?["all"] as? [String: Any])
                #expect(all["profitFactor"] == nil || all["profitFactor"] is NSNull)
                #expect(all["profitFactorInfinite"] as? Bool == true)
                #expect((body["breakdowns"] as? [String: Any])?.count == 7)
            }
        }
    }

    @Test("unknown backtest 404, unknown breakdown or time zone 400, as JSON errors")
    func errors() async throws {
        try await ServerTests.withServer { client in
            try await client.execute(uri: "/v1/backtests/\(UUID())/stats", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try ServerTests.json(response.body)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not_found")
            }
            try await client.execute(uri: "/v1/backtests/\(UUID())/equity", method: .get) { response in
                #expect(response.status == .notFound)
            }
            let id = try await Self.upload(client, TestFixtures.smallEvents)
            try await client.execute(uri: "/v1/backtests/\(id)/stats?by=moon", method: .get) { response in
                #expect(response.status == .badRequest)
                let error = try ServerTests.json(response.body)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "bad_request")
            }
            try await client.execute(uri: "/v1/backtests/\(id)/stats?timeZone=Mars/Olympus", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("compare: ranked entries with cTrader's fitness; bad metric or no ids 400")
    func compare() async throws {
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client, TestFixtures.smallEvents)
            try await client.execute(uri: "/v1/compare?ids=\(id)&rankBy=netProfit", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                #expect(body["rankBy"] as? String == "netProfit")
                let entries = try #require(body["entries"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries.first?["rank"] as? Int == 1)
                // Net 0 over one winner: fitness 0; the drawdown is the equity's, 100 of a 1100 peak.
                #expect(entries.first?["fitness"] as? Double == 0)
                #expect(entries.first?["drawdownSource"] as? String == "equity")
                let percent = try #require(entries.first?["maxDrawdownPercent"] as? Double)
                #expect(abs(percent - 100.0 / 1100.0 * 100) < 1e-9)
            }
            try await client.execute(uri: "/v1/compare?ids=\(id)&rankBy=luck", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/compare", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/compare?ids=\(UUID())", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// Found by scripts/api-check: Foundation accepts `GMT+5` (as `GMT+0500`) and retired links such as
    /// `US/Pacific-New`, PostgreSQL does not, and the query failed with a 503 `database_error`.
    @Test("a time zone Foundation accepts but PostgreSQL does not know is 400, not a database error")
    func timeZoneUnknownToPostgreSQL() async throws {
        #expect(TimeZone(identifier: "GMT+5") != nil)
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client, TestFixtures.smallEvents)
            for path in ["stats?by=weekday&timeZone=GMT%2B5", "heatmap?timeZone=GMT%2B5"] {
                try await client.execute(uri: "/v1/backtests/\(id)/\(path)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(path)")
                    let error = try #require(try ServerTests.json(response.body)["error"] as? [String: Any])
                    #expect(error["code"] as? String == "bad_request")
                    #expect((error["message"] as? String)?.contains("GMT+0500") == true)
                }
            }
            try await client.execute(uri: "/v1/backtests/\(id)/heatmap?timeZone=Asia/Tokyo", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
