import Foundation
import Logging
import PipsightCore
import Testing

@testable import CTraderImport

/// Expected values for the real file were computed independently with Python
/// (`json.load(..., parse_float=Decimal)`), never by running this parser.
@Suite("EventsJSONParser")
struct EventsJSONParserTests {
    typealias Support = CTraderJSONTestSupport

    static func realData() throws -> Data {
        let url = Support.realEventsURL
        #expect(FileManager.default.fileExists(atPath: url.path), "fixture missing at \(url.path)")
        return try Data(contentsOf: url)
    }

    static func parseReal(_ data: Data) throws -> ParsedExport {
        try EventsJSONParser().parseAll(ImportInput(name: "events.json", data: data))
    }

    // MARK: Real file

    @Test("real events.json: event and trade counts, names, sums")
    func realFileCounts() throws {
        let export = try Self.parseReal(try Self.realData())
        #expect(export.header.format == .eventsJSON)
        #expect(export.events.count == 3744)
        #expect(export.trades.count == 698)
        var names: [String: Int] = [:]
        for event in export.events { names[event.name, default: 0] += 1 }
        #expect(names == [
            "Position Modified (S/L)": 2348, "Create Position": 698, "Stop Loss Hit": 687, "Position closed": 11,
        ])
        #expect(export.events.map(\.serial) == (0..<3744).map { Int64($0) })
        #expect(export.trades.filter { $0.closeReason == .stopLoss }.count == 687)
        #expect(export.trades.filter { $0.closeReason == .manual }.count == 11)
        #expect(export.trades.filter { $0.direction == .sell }.count == 313)
        #expect(export.trades.filter { $0.initialStopLoss == nil }.count == 9)
        #expect(export.trades.filter { ($0.grossProfit ?? 0) > 0 }.count == 682)
        #expect(export.trades.allSatisfy { $0.deals.count == 1 })

        // Exact decimal sums (no Double on the way).
        let gross = export.trades.reduce(Decimal(0)) { $0 + ($1.grossProfit ?? 0) }
        #expect(gross == Support.decimal("34534.57"))
        let pips = export.trades.reduce(Decimal(0)) { $0 + ($1.pips ?? 0) }
        #expect(pips == Support.decimal("3162.0"))
        let volume = export.trades.reduce(Decimal(0)) { $0 + ($1.volume ?? 0) }
        #expect(volume == Support.decimal("8287.73"))
        #expect(export.trades.last?.balance == Support.decimal("34829.35999999997"))
        #expect(export.events.last?.equity == Support.decimal("34829.35999999997"))

        let manual = export.trades.filter { $0.closeReason == .manual }.map(\.positionId)
        #expect(manual == ["8", "44", "54", "99", "122", "150", "264", "378", "495", "559", "565"])
    }

    @Test("real events.json: net profit is the change of balance at each close, starting from the first equity")
    func realFileNetFromBalance() throws {
        let export = try Self.parseReal(try Self.realData())
        // Python: balance before the first close = equity of the first event (420); net = balance deltas.
        #expect(export.header.startingCapital == Support.decimal("420"))
        #expect(export.header.endingBalance == Support.decimal("34829.35999999997"))
        #expect(export.header.netProfit == Support.decimal("34409.35999999997"))
        let net = export.trades.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) }
        #expect(net == Support.decimal("34409.35999999997"))
        #expect(export.trades.filter { ($0.netProfit ?? 0) > 0 }.count == 684)
        #expect(export.trades.first?.netProfit == Support.decimal("5.34"))
    }

    @Test("real events.json: first and last trade rebuilt field by field")
    func realFileTrades() throws {
        let export = try Self.parseReal(try Self.realData())
        let first = try #require(export.trades.first)
        #expect(first.positionId == "1")
        #expect(first.direction == .buy)
        #expect(first.openTime == Support.date(1_762_761_600_326))
        #expect(first.closeTime == Support.date(1_762_765_634_459))
        #expect(first.entryPrice == Support.decimal("6781.4"))
        #expect(first.closePrice == Support.decimal("6791.7"))
        #expect(first.volume == Support.decimal("0.6"))
        #expect(first.quantity == Support.decimal("0.6"))
        #expect(first.initialStopLoss == Support.decimal("6783.1"))
        #expect(first.finalStopLoss == Support.decimal("6791.9"))
        #expect(first.initialTakeProfit == nil)
        #expect(first.grossProfit == Support.decimal("5.34"))
        #expect(first.pips == Support.decimal("10.3"))
        #expect(first.balance == Support.decimal("425.34"))
        #expect(first.closeReason == .stopLoss)
        #expect(first.deals.first?.dealId == "5")

        let second = try #require(export.trades.dropFirst().first)
        #expect(second.balance == Support.decimal("426.96999999999997"))
        #expect(second.initialStopLoss == Support.decimal("6799.3"))
        #expect(second.finalStopLoss == Support.decimal("6799.3"))

        let last = try #require(export.trades.last)
        #expect(last.positionId == "698")
        #expect(last.openTime == Support.date(1_785_427_500_540))
        #expect(last.closeTime == Support.date(1_785_428_606_710))
        #expect(last.volume == 25)
        #expect(last.initialStopLoss == Support.decimal("7406.8"))
        #expect(last.finalStopLoss == Support.decimal("7408.5"))
        #expect(last.grossProfit == Support.decimal("71.56"))
    }

    @Test("trades are emitted right after their closing event, while streaming")
    func emitsTradesInStream() throws {
        var records: [ImportRecord] = []
        _ = try EventsJSONParser().parse(
            ImportInput(name: "events.json", data: try Self.realData()), logger: Logger(label: "test")
        ) { records.append($0) }
        #expect(records.count == 3744 + 698)
        // Record 5 is the close of position 1 (serial 5), record 6 its trade.
        guard case .event(let close) = records[5], case .trade(let trade) = records[6] else {
            Issue.record("expected the first trade right after serial 5")
            return
        }
        #expect(close.serial == 5)
        #expect(close.kind == .stopLossHit)
        #expect(trade.positionId == "1")
    }

    @Test("a UTF-8 BOM before the real file is skipped")
    func realFileWithBOM() throws {
        let export = try Self.parseReal(Data([0xEF, 0xBB, 0xBF]) + (try Self.realData()))
        #expect(export.events.count == 3744)
        #expect(export.trades.count == 698)
    }

    @Test("the real file re-encoded as UTF-16 LE reads the same")
    func realFileUTF16LE() throws {
        let text = String(decoding: try Self.realData(), as: UTF8.self)
        let export = try Self.parseReal(Support.utf16LE(text))
        #expect(export.events.count == 3744)
        #expect(export.trades.count == 698)
        #expect(export.trades.last?.balance == Support.decimal("34829.35999999997"))
    }

    @Test("a wrong type in element 412 names the element, its line and the field")
    func wrongTypeInRealFile() throws {
        var lines = String(decoding: try Self.realData(), as: UTF8.self).components(separatedBy: "\n")
        let serialLine = try #require(lines.firstIndex(of: "    \"serial\": 412,"))
        let timeLine = try #require(lines[serialLine...].firstIndex { $0.hasPrefix("    \"time\": ") })
        lines[timeLine] = "    \"time\": \"abc\","
        let data = Data(lines.joined(separator: "\n").utf8)
        let error = try #require(Support.error(EventsJSONParser(), data, name: "events.json"))
        #expect(error.code == .wrongType)
        #expect(error.location?.line == 7418)  // the line of element 412's `{` (Python)
        #expect(error.location?.path == "[412].time")
        #expect(error.location?.field == "time")
        #expect(error.description == "events.json: line 7418: [412].time: expected epoch milliseconds, got \"abc\"")
    }

    @Test("a truncated real file is malformed JSON at its last line")
    func truncatedRealFile() throws {
        let data = try Self.realData()
        let cut = data.prefix(data.count / 2)
        let expectedLine = cut.filter { $0 == 0x0A }.count + 1
        let error = try #require(Support.error(EventsJSONParser(), Data(cut), name: "events.json"))
        #expect(error.code == .malformedJSON)
        #expect(error.location?.line == expectedLine)
        #expect(error.location?.file == "events.json")
    }

    // MARK: Small inline files

    static func event(
        serial: Int, position: Int, name: String, time: Int64, volume: String = "10000", type: String = "Buy",
        entry: String = "1.1", sl: String = "null", tp: String = "null", close: String = "null",
        gross: String = "0", pips: String = "0", balance: String = "null", extra: String = ""
    ) -> String {
        """
          {
            "serial": \(serial), "orderId": null, "positionId": \(position), "event": "\(name)",
            "time": \(time), "volume": \(volume), "quantity": 0.1, "type": "\(type)", "entryPrice": \(entry),
            "tp": \(tp), "sl": \(sl), "closePrice": \(close), "grossProfit": \(gross), "pips": \(pips),
            "balance": \(balance), "equity": 1000\(extra)
          }
        """
    }

    static func file(_ events: [String]) -> String {
        "[\n" + events.joined(separator: ",\n") + "\n]\n"
    }

    @Test("partial closes become deals of one trade, emitted when nothing remains")
    func partialClose() throws {
        let text = Self.file([
            Self.event(serial: 0, position: 7, name: "Create Position", time: 1_700_000_000_000, sl: "1.09"),
            Self.event(serial: 1, position: 8, name: "Create Position", time: 1_700_000_001_000, type: "Sell"),
            Self.event(serial: 2, position: 7, name: "Position Modified (T/P)", time: 1_700_000_002_000,
                       sl: "1.095", tp: "1.12"),
            Self.event(serial: 3, position: 7, name: "Position closed", time: 1_700_000_003_000, volume: "4000",
                       sl: "1.095", tp: "1.12", close: "1.11", gross: "0.1", pips: "100", balance: "1000.1"),
            Self.event(serial: 4, position: 7, name: "Take Profit Hit", time: 1_700_000_004_000, volume: "6000",
                       sl: "1.095", tp: "1.12", close: "1.12", gross: "0.2", pips: "200", balance: "1000.3"),
        ])
        let export = try Support.parseAll(EventsJSONParser(), text, name: "events.json")
        #expect(export.events.count == 5)
        #expect(export.trades.count == 1)  // position 8 never closes: not a trade
        let trade = try #require(export.trades.first)
        #expect(trade.positionId == "7")
        #expect(trade.deals.map(\.dealId) == ["3", "4"])
        #expect(trade.deals.map(\.volume) == [4000, 6000])
        #expect(trade.grossProfit == Support.decimal("0.3"))  // exact: 0.1 + 0.2
        #expect(trade.pips == 300)
        #expect(trade.volume == 10000)
        #expect(trade.closePrice == Support.decimal("1.116"))  // (1.11×4000 + 1.12×6000) / 10000
        #expect(trade.closeTime == Support.date(1_700_000_004_000))
        #expect(trade.balance == Support.decimal("1000.3"))
        #expect(trade.closeReason == .takeProfit)
        #expect(trade.initialStopLoss == Support.decimal("1.09"))
        #expect(trade.finalStopLoss == Support.decimal("1.095"))
        #expect(trade.initialTakeProfit == Support.decimal("1.12"))
        #expect(trade.finalTakeProfit == Support.decimal("1.12"))
    }

    @Test("Stop Order Filled opens a position; unknown event names and keys are kept")
    func unknownNamesAndKeys() throws {
        let text = Self.file([
            Self.event(serial: 0, position: 3, name: "Create Stop Order", time: 1_700_000_000_000),
            Self.event(serial: 1, position: 3, name: "Stop Order Filled", time: 1_700_000_001_000, type: "Sell"),
            Self.event(serial: 2, position: 3, name: "Trailing Stop Moved", time: 1_700_000_002_000,
                       sl: "1.2", extra: ", \"label\": \"bot-a\", \"commission\": -0.35"),
            Self.event(serial: 3, position: 3, name: "Stop Loss Hit", time: 1_700_000_003_000, type: "Sell",
                       close: "1.2", gross: "-12.5", pips: "-10"),
        ])
        let export = try Support.parseAll(EventsJSONParser(), text, name: "events.json")
        #expect(export.events.map(\.name) == ["Create Stop Order", "Stop Order Filled", "Trailing Stop Moved", "Stop Loss Hit"])
        #expect(export.events[2].kind == .other("Trailing Stop Moved"))
        #expect(export.events[2].extra["label"] == .string("bot-a"))
        #expect(export.events[2].extra["commission"] == .number(-0.35))
        #expect(export.events[0].extra.isEmpty)
        let trade = try #require(export.trades.first)
        #expect(export.trades.count == 1)
        #expect(trade.direction == .sell)
        #expect(trade.openTime == Support.date(1_700_000_001_000))
        #expect(trade.initialStopLoss == Support.decimal("1.2"))
        #expect(trade.grossProfit == Support.decimal("-12.5"))
        #expect(trade.closeReason == .stopLoss)
    }

    @Test("epoch seconds are read as seconds; implausible times are rejected")
    func epochPlausibility() throws {
        let seconds = Self.file([Self.event(serial: 0, position: 1, name: "Create Position", time: 1_700_000_000)])
        let export = try Support.parseAll(EventsJSONParser(), seconds, name: "events.json")
        #expect(export.events.first?.time == Support.date(1_700_000_000_000))

        let tiny = Self.file([Self.event(serial: 0, position: 1, name: "Create Position", time: 12345)])
        let error = try #require(Support.error(EventsJSONParser(), tiny, name: "events.json"))
        #expect(error.code == .invalidValue)
        #expect(error.location?.path == "[0].time")
        #expect(error.location?.line == 2)
    }

    @Test("a truncated small file reports malformed JSON on the line where it stops")
    func truncatedInline() throws {
        let text = "[\n  {\"serial\": 0, \"event\": \"Create Position\", \"time\": 1700000000000},\n  {\"serial\": 1,\n   \"event\": \"Posi"
        let error = try #require(Support.error(EventsJSONParser(), text, name: "events.json"))
        #expect(error.code == .malformedJSON)
        #expect(error.location?.line == 4)
        #expect(error.location?.path == "[1]")
        #expect(error.message.contains("end of input"))
    }

    @Test("a missing comma between elements names the line")
    func missingComma() throws {
        let text = "[\n{\"event\": \"A\", \"time\": 1700000000000}\n{\"event\": \"B\", \"time\": 1700000000000}\n]"
        let error = try #require(Support.error(EventsJSONParser(), text, name: "events.json"))
        #expect(error.code == .malformedJSON)
        #expect(error.location?.line == 3)
        #expect(error.message.contains("expected ',' or ']'"))
    }

    @Test("a missing required field and a non-object element are reported with their paths")
    func missingFieldAndWrongElement() throws {
        let missing = "[\n{\"event\": \"A\", \"time\": 1700000000000},\n{\"time\": 1700000000000}\n]"
        let error = try #require(Support.error(EventsJSONParser(), missing, name: "e.json"))
        #expect(error.code == .missingField)
        #expect(error.location?.path == "[1].event")
        #expect(error.location?.line == 3)

        let scalar = "[\n{\"event\": \"A\", \"time\": 1700000000000},\n42\n]"
        let second = try #require(Support.error(EventsJSONParser(), scalar, name: "e.json"))
        #expect(second.code == .wrongType)
        #expect(second.location?.path == "[1]")
        #expect(second.message == "expected an event object, got 42")

        let badNumber = "[{\"event\": \"A\", \"time\": 1700000000000, \"volume\": \"lots\"}]"
        let third = try #require(Support.error(EventsJSONParser(), badNumber, name: "e.json"))
        #expect(third.code == .wrongType)
        #expect(third.description == "e.json: line 1: [0].volume: expected a number, got \"lots\"")
    }

    @Test("empty, whitespace-only, garbage and non-array inputs are rejected with the right code")
    func rejectedInputs() throws {
        #expect(Support.error(EventsJSONParser(), Data(), name: "events.json")?.code == .emptyInput)
        #expect(Support.error(EventsJSONParser(), " \n\t\n", name: "events.json")?.code == .emptyInput)
        #expect(Support.error(EventsJSONParser(), Data([0xEF, 0xBB, 0xBF]), name: "events.json")?.code == .emptyInput)

        let garbage = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        let garbageError = try #require(Support.error(EventsJSONParser(), garbage, name: "events.json"))
        #expect(garbageError.code == .malformedJSON)
        #expect(garbageError.location?.line == 1)

        let object = try #require(Support.error(EventsJSONParser(), "{\"events\": []}", name: "events.json"))
        #expect(object.code == .wrongType)
        #expect(object.message == "expected a JSON array of events, got an object")

        let trailing = try #require(Support.error(EventsJSONParser(), "[]\n]", name: "events.json"))
        #expect(trailing.code == .malformedJSON)
        #expect(trailing.location?.line == 2)

        let empty = try Support.parseAll(EventsJSONParser(), "[ ]", name: "events.json")
        #expect(empty.events.isEmpty && empty.trades.isEmpty)
    }

    @Test("UTF-16 BE without a BOM is detected")
    func utf16BigEndianNoBOM() throws {
        let text = Self.file([
            Self.event(serial: 0, position: 1, name: "Create Position", time: 1_700_000_000_000),
            Self.event(serial: 1, position: 1, name: "Position closed", time: 1_700_000_060_000, close: "1.2",
                       gross: "10.5"),
        ])
        let export = try EventsJSONParser().parseAll(
            ImportInput(name: "events.json", data: Support.utf16BE(text, bom: false))
        )
        #expect(export.events.count == 2)
        #expect(export.trades.first?.grossProfit == Support.decimal("10.5"))
        #expect(export.trades.first?.closeReason == .manual)
    }
}
