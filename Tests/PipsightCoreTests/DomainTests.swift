import Foundation
import PipsightCore
import Testing

@Suite("Domain types")
struct DomainTests {
    @Test("directions are read from the spellings cTrader and users write", arguments: [
        ("Buy", TradeDirection.buy), ("BUY", .buy), (" long ", .buy), ("Sell", .sell), ("short", .sell),
    ])
    func directions(_ text: String, _ expected: TradeDirection) {
        #expect(TradeDirection(text: text) == expected)
    }

    @Test("an unknown direction is nil, not a guess")
    func unknownDirection() {
        #expect(TradeDirection(text: "flat") == nil)
    }

    @Test("event names map to kinds; unknown names are kept verbatim")
    func eventKinds() {
        #expect(PositionEventKind(name: "Create Position") == .createPosition)
        #expect(PositionEventKind(name: "Position Modified (S/L)") == .positionModified)
        #expect(PositionEventKind(name: "Position Modified (T/P)") == .positionModified)
        #expect(PositionEventKind(name: "Stop Loss Hit").closesPosition)
        #expect(PositionEventKind(name: "Stop Order Filled").opensPosition)
        #expect(PositionEventKind(name: "Swap Charged") == .other("Swap Charged"))
    }

    @Test("JSON values round-trip, and non-finite numbers become null rather than invalid JSON")
    func jsonValues() throws {
        let value = JSONValue.object(["a": .array([.number(1.5), .bool(true), .null, .string("x")]), "b": .number(.nan)])
        #expect(value.jsonText() == #"{"a":[1.5,true,null,"x"],"b":null}"#)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":[1.5,true,null,"x"]}"#.utf8))
        #expect(decoded.objectValue?["a"] == .array([.number(1.5), .bool(true), .null, .string("x")]))
    }

    @Test("JSON text escapes quotes, backslashes and control characters and reads back equal")
    func jsonEscaping() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é", "€", "😀", " ", "/"]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            let value = JSONValue.object([text: .string(text), "n": .number(Double(Int.random(in: -1000...1000, using: &generator)) / 8)])
            let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(value.jsonText().utf8))
            #expect(decoded == value)
        }
    }

    @Test("a parsed export sorts records into their lists")
    func parsedExport() {
        var export = ParsedExport(header: BacktestHeader(format: .eventsJSON))
        let date = Date(timeIntervalSince1970: 0)
        export.append(.trade(Trade(positionId: "1", direction: .buy, openTime: date, closeTime: date)))
        export.append(.event(PositionEvent(serial: 0, name: "Create Position", time: date)))
        export.append(.parameter(Parameter(name: "Period", value: "14")))
        export.append(.pass(OptimisationPass(passId: 3)))
        #expect(export.trades.count == 1)
        #expect(export.events.count == 1)
        #expect(export.parameters.map(\.name) == ["Period"])
        #expect(export.passes.map(\.passId) == [3])
    }
}
