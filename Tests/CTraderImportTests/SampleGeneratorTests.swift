import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import Testing

@Suite("SampleGenerator")
struct SampleGeneratorTests {
    @Test("a large sample keeps every time plausible (2000–2099) and opens in order")
    func largeSampleTimes() {
        // 2100-01-01T00:00:00Z in milliseconds; the importers reject later times.
        let limit: Int64 = 4_102_444_800_000
        var previousOpen: Int64 = 0
        var last: Int64 = 0
        var count = 0
        for trade in SampleGenerator(seed: 9, trades: 60_000).trades {
            #expect(trade.openTimeMilliseconds > previousOpen)
            #expect(trade.closeTimeMilliseconds >= trade.openTimeMilliseconds)
            previousOpen = trade.openTimeMilliseconds
            last = max(last, trade.closeTimeMilliseconds)
            count += 1
        }
        #expect(count == 60_000)
        #expect(last < limit)
    }

    private typealias F = ImportFixtures

    @Test("The same seed gives the same bytes, a different seed different ones", arguments: ExportFormat.allCases)
    func deterministic(format: ExportFormat) {
        let a = SampleGenerator(seed: 42, trades: 60).write(format)
        let b = SampleGenerator(seed: 42, trades: 60).write(format)
        let c = SampleGenerator(seed: 43, trades: 60).write(format)
        #expect(a == b)
        #expect(!a.isEmpty)
        if format != .cbotset {  // parameters do not depend on the trades
            #expect(a != c)
        }
    }

    @Test("Ground truth is internally consistent")
    func groundTruthConsistency() throws {
        let generator = SampleGenerator(seed: 7, trades: 500, startingCapital: 25_000)
        let truth = generator.groundTruth
        #expect(truth.tradeCount == 500)
        #expect(truth.longTrades + truth.shortTrades == 500)
        #expect(truth.winningTrades + truth.losingTrades <= 500)
        #expect(truth.winningTrades > 0 && truth.losingTrades > 0)
        #expect(truth.startingCapital == 25_000)
        #expect(truth.finalBalance == truth.startingCapital + truth.netProfit)
        #expect(truth.netProfit == truth.grossProfit + truth.commissions + truth.swaps)
        #expect(truth.commissions < 0)
        #expect(truth.netByWeekday.values.reduce(0, +) == truth.netProfit)
        #expect(truth.netByOpenHour.values.reduce(0, +) == truth.netProfit)
        #expect(truth.tradesByWeekday.values.reduce(0, +) == 500)
        #expect(truth.tradesByWeekday["Saturday"] == nil)
        #expect(truth.dealCount == 500 + truth.partiallyClosedTrades)
        #expect(truth.partiallyClosedTrades > 0)
        #expect(truth.stopLossModifications > 0)
        #expect(truth.closeReasons.values.reduce(0, +) == 500)
        #expect(truth.largestWin > 0 && truth.largestLoss < 0)
        #expect(truth.maxBalanceDrawdown > 0)
        #expect(truth.maxEquityDrawdown >= truth.maxBalanceDrawdown)

        // Recomputed here from the trades, independently of the generator's own accumulation.
        let trades = generator.pipsightTrades()
        let net = trades.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) }
        #expect(net == truth.netProfit)
        #expect(trades.filter { ($0.netProfit ?? 0) > 0 }.count == truth.winningTrades)
        #expect(trades.map { $0.netProfit ?? 0 }.max() == truth.largestWin)
        #expect(trades.last?.balance == truth.finalBalance)
        for trade in trades {
            #expect(trade.closeTime > trade.openTime)
            let money = (trade.grossProfit ?? 0) + (trade.commissions ?? 0) + (trade.swaps ?? 0)
            #expect(money == trade.netProfit)
        }
        let data = try JSONEncoder().encode(truth)
        #expect(try JSONDecoder().decode(GroundTruth.self, from: data) == truth)
    }

    @Test("The documented pattern holds: Fridays and 21-23 h UTC lose more")
    func pattern() {
        let truth = SampleGenerator(seed: 2024, trades: 6000).groundTruth
        func mean(_ day: String) -> Double {
            let net = NSDecimalNumber(decimal: truth.netByWeekday[day] ?? 0).doubleValue
            return net / Double(max(1, truth.tradesByWeekday[day] ?? 0))
        }
        let friday = mean("Friday")
        for day in ["Monday", "Tuesday", "Wednesday", "Thursday"] {
            #expect(mean(day) > friday, "\(day)")
        }
        let late = ["21", "22", "23"].reduce(Decimal(0)) { $0 + (truth.netByOpenHour[$1] ?? 0) }
        #expect(late < 0)
        #expect((truth.netByWeekday["Friday"] ?? 0) < 0)
    }

    @Test("History CSV round trip: the parser finds the ground truth", arguments: [
        SampleGenerator.HistoryCSVOptions(),
        .european,
        .excelUnicode,
        SampleGenerator.HistoryCSVOptions(
            delimiter: .semicolon, decimalSeparator: .comma, thousandsSeparator: " ", encoding: .utf8,
            utcOffsetSeconds: 4 * 3600, dateStyle: .dotted, summaryRow: true, lineEnding: "\n"),
        SampleGenerator.HistoryCSVOptions(
            thousandsSeparator: ",", utcOffsetSeconds: -(3 * 3600 + 1800), dateStyle: .iso8601, summaryRow: true),
        SampleGenerator.HistoryCSVOptions(delimiter: .tab, thousandsSeparator: "'", dateStyle: .monthDayYear),
        SampleGenerator.HistoryCSVOptions(delimiter: .semicolon, decimalSeparator: .comma, thousandsSeparator: "\u{00A0}", dateStyle: .yearMonthDay),
    ])
    func csvRoundTrip(options: SampleGenerator.HistoryCSVOptions) throws {
        let generator = SampleGenerator(seed: 99, trades: 300, depositAsset: "EUR")
        let truth = generator.groundTruth
        let data = generator.write(.historyCSV, options: .init(csv: options))
        let export = try HistoryCSVParser().parseAll(ImportInput(name: "history.csv", data: data))
        #expect(export.trades.count == truth.tradeCount)
        #expect(export.trades.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) } == truth.netProfit)
        #expect(export.trades.reduce(0) { $0 + $1.deals.count } == truth.dealCount)
        #expect(export.trades.reduce(Decimal(0)) { $0 + ($1.commissions ?? 0) } == truth.commissions)
        #expect(export.trades.reduce(Decimal(0)) { $0 + ($1.swaps ?? 0) } == truth.swaps)
        #expect(export.header.depositAsset == "EUR")
        #expect(export.header.utcOffsetSeconds == options.utcOffsetSeconds)
        #expect(export.header.endingBalance == truth.finalBalance)
        #expect(export.header.startingCapital == truth.startingCapital)
        // Times come back in UTC whatever the file's offset (`dd.MM.yyyy HH:mm:ss` has no milliseconds).
        let precision: TimeInterval = options.dateStyle == .dotted ? 1 : 0.001
        func same(_ a: Date?, _ b: Date?) -> Bool {
            guard let a, let b else { return false }
            return (a.timeIntervalSince1970 / precision).rounded(.down) == (b.timeIntervalSince1970 / precision).rounded(.down)
        }
        #expect(same(export.trades.first?.openTime, truth.firstOpenTime))
        let expected = generator.pipsightTrades()
        for (parsed, generated) in zip(export.trades, expected) {
            #expect(parsed.positionId == generated.positionId)
            #expect(parsed.direction == generated.direction)
            #expect(same(parsed.closeTime, generated.closeTime))
            #expect(parsed.netProfit == generated.netProfit)
            #expect(parsed.entryPrice == generated.entryPrice)
        }
    }

    @Test("events.json has the real sample's shape and one event per open, stop move and deal")
    func eventsShape() throws {
        let generator = SampleGenerator(seed: 5, trades: 80)
        let truth = generator.groundTruth
        let data = generator.write(.eventsJSON)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("[\n  {\n    \"serial\": 0,\n    \"orderId\": null,\n"))
        #expect(text.hasSuffix("\n  }\n]\n"))
        let events = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(events.count == truth.tradeCount + truth.stopLossModifications + truth.dealCount)
        let keys = [
            "serial", "orderId", "positionId", "event", "time", "volume", "quantity", "type", "entryPrice", "tp", "sl",
            "closePrice", "grossProfit", "pips", "balance", "equity",
        ]
        for event in events { #expect(Set(event.keys) == Set(keys)) }
        if let url = F.realEventsJSON, let real = try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]],
            let first = real.first
        {
            #expect(Set(first.keys) == Set(keys))
        }
        // Key order as in the real file.
        let firstObject = try #require(text.components(separatedBy: "\n  },").first)
        let order = firstObject.components(separatedBy: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("\"") else { return nil }
            return trimmed.split(separator: "\"").first.map(String.init)
        }
        #expect(order == keys)
        let created = events.filter { $0["event"] as? String == "Create Position" }.count
        #expect(created == truth.tradeCount)
        let modified = events.filter { $0["event"] as? String == "Position Modified (S/L)" }.count
        #expect(modified == truth.stopLossModifications)
    }

    @Test("report.json statistics and history agree with the ground truth")
    func reportJSON() throws {
        let generator = SampleGenerator(seed: 8, trades: 150)
        let truth = generator.groundTruth
        let data = generator.write(.reportJSON)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let main = try #require(root["main"] as? [String: Any])
        #expect(main["symbol"] as? String == "EURUSD")
        #expect(main["depositAsset"] as? String == "USD")
        let stats = try #require(root["tradeStatistics"] as? [String: [String: Any]])
        #expect(stats["totalTrades"]?["all"] as? Int == truth.tradeCount)
        #expect(stats["totalTrades"]?["long"] as? Int == truth.longTrades)
        #expect(stats["totalTrades"]?["short"] as? Int == truth.shortTrades)
        #expect(stats["winningTrades"]?["all"] as? Int == truth.winningTrades)
        #expect(stats["losingTrades"]?["all"] as? Int == truth.losingTrades)
        let net = try #require(stats["netProfit"]?["all"] as? Double)
        #expect(abs(net - NSDecimalNumber(decimal: truth.netProfit).doubleValue) < 0.005)
        let equity = try #require(root["equity"] as? [String: Any])
        let drawdown = try #require(equity["maxEquityDrawdownAbsolute"] as? Double)
        #expect(abs(drawdown - NSDecimalNumber(decimal: truth.maxEquityDrawdown).doubleValue) < 0.005)
        let history = try #require(root["history"] as? [String: Any])
        let items = try #require(history["items"] as? [[String: Any]])
        #expect(items.count == truth.dealCount)
        let itemNet = items.reduce(0.0) { $0 + ($1["net"] as? Double ?? .nan) }
        #expect(abs(itemNet - NSDecimalNumber(decimal: truth.netProfit).doubleValue) < 0.01)
        #expect(Set(items.compactMap { $0["id"] as? Int }).count == truth.tradeCount)
    }

    @Test("report.html embeds report.json in the backtesting-report script")
    func reportHTML() throws {
        let generator = SampleGenerator(seed: 8, trades: 20)
        let html = String(decoding: generator.write(.reportHTML), as: UTF8.self)
        let json = String(decoding: generator.write(.reportJSON), as: UTF8.self)
        let open = "<script type=\"application/json\" id=\"backtesting-report\">"
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        #expect(String(html[start.upperBound..<end.lowerBound]) == json)
    }

    @Test(".optres and .cbotset carry parameters and passes")
    func optresAndCBotSet() throws {
        let generator = SampleGenerator(seed: 3, trades: 40)
        let optres = try #require(
            try JSONSerialization.jsonObject(with: generator.write(.optres, options: .init(optimisationPasses: 7))) as? [String: Any])
        let results = try #require(optres["results"] as? [String: Any])
        let passes = try #require(results["passes"] as? [[String: Any]])
        #expect(passes.count == 7)
        #expect(passes.first?["trades"] as? Int == generator.groundTruth.tradeCount)
        #expect((optres["parameters"] as? [[String: Any]])?.count == 7)

        let json = try #require(
            try JSONSerialization.jsonObject(with: generator.write(.cbotset, options: .init(cbotset: .json))) as? [String: Any])
        #expect((json["Parameters"] as? [String: String])?["StopLossPips"] == "25")
        let xml = String(decoding: generator.write(.cbotset), as: UTF8.self)
        #expect(xml.contains("<parameter name=\"StopLossPips\" value=\"25\" />"))
        #expect(xml.hasPrefix("<?xml"))
    }

    @Test("Writing to a file gives the same bytes as writing to memory", arguments: [ExportFormat.historyCSV, .eventsJSON, .reportJSON])
    func fileWriter(format: ExportFormat) throws {
        let generator = SampleGenerator(seed: 12, trades: 3000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let options = SampleGenerator.WriteOptions(csv: .excelUnicode)
        try generator.write(format, options: options, to: url)
        #expect(try Data(contentsOf: url) == generator.write(format, options: options))
    }
}
