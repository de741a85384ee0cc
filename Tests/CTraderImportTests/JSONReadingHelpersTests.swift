import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

@Suite("JSON reading helpers")
struct JSONReadingHelpersTests {
    typealias Support = CTraderJSONTestSupport

    @Test("decimals come from the literal text, not from Double", arguments: [
        ("434.3999999999999", "434.3999999999999"),
        ("0.1", "0.1"),
        ("-12.50", "-12.5"),
        ("1e3", "1000"),
        ("2.5E-3", "0.0025"),
        ("0", "0"),
        ("12345678901234567890.123", "12345678901234567890.123"),
    ])
    func decimalLiterals(literal: String, expected: String) throws {
        let value = try #require(JSONNumberLiteral.decimal(literal))
        #expect(value == Support.decimal(expected))
    }

    @Test("non-numbers are not decimals; integers must be integral")
    func rejections() {
        #expect(JSONNumberLiteral.decimal("abc") == nil)
        #expect(JSONNumberLiteral.decimal("1.") == nil)
        #expect(JSONNumberLiteral.decimal("NaN") == nil)
        #expect(JSONNumberLiteral.int64("12") == 12)
        #expect(JSONNumberLiteral.int64("1.2e1") == 12)
        #expect(JSONNumberLiteral.int64("1.5") == nil)
        #expect(JSONNumberLiteral.int64("99999999999999999999") == nil)
    }

    @Test("epoch milliseconds: plausible range, seconds scaled")
    func epochs() {
        #expect(EpochMilliseconds.date(fromMilliseconds: Int64(1_762_761_600_326)) == Support.date(1_762_761_600_326))
        #expect(EpochMilliseconds.date(fromMilliseconds: Int64(1_762_761_600)) == Support.date(1_762_761_600_000))
        #expect(EpochMilliseconds.date(fromMilliseconds: Int64(12_345)) == nil)
        #expect(EpochMilliseconds.date(fromMilliseconds: Int64(4_200_000_000_000)) == nil)  // year 2103
        #expect(EpochMilliseconds.date(iso8601: "2025-11-10T08:00:00Z") == Support.date(1_762_761_600_000))
        #expect(EpochMilliseconds.date(iso8601: "2025-11-10 08:00:00") == Support.date(1_762_761_600_000))
        #expect(EpochMilliseconds.date(iso8601: "abc") == nil)
    }

    @Test("encodings: BOMs and BOM-less UTF-16 become plain UTF-8; UTF-32 is refused")
    func encodings() throws {
        func text(_ bytes: [UInt8]) throws -> String {
            String(decoding: try JSONInputText.utf8Bytes(of: ImportInput(name: "x.json", data: Data(bytes))), as: UTF8.self)
        }
        #expect(try text([0xEF, 0xBB, 0xBF, 0x5B, 0x5D]) == "[]")
        #expect(try text([0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00]) == "[]")
        #expect(try text([0xFE, 0xFF, 0x00, 0x5B, 0x00, 0x5D]) == "[]")
        #expect(try text([0x5B, 0x00, 0x5D, 0x00]) == "[]")
        #expect(try text([0x5B, 0x5D]) == "[]")
        let utf32 = #expect(throws: PipsightError.self) { try text([0xFF, 0xFE, 0x00, 0x00, 0x5B, 0x00, 0x00, 0x00]) }
        #expect(utf32?.code == .badEncoding)
        #expect(utf32?.location?.file == "x.json")
        let value = "[\"é€😀\"]"
        let bytes = try JSONInputText.utf8Bytes(of: ImportInput(name: "x", data: Support.utf16LE(value)))
        #expect(String(decoding: bytes, as: UTF8.self) == value)
    }

    @Test("the byte parser keeps escapes, surrogate pairs and number text; reports lines")
    func byteParser() throws {
        let json = "{\"a\": \"x\\\"y\\u00e9\\ud83d\\ude00\\n\", \"b\": [1.50, -0, true, null], \"a\": 2}"
        let node = try JSONByteParser.withParser(Data(json.utf8), file: "t.json") { try $0.parseDocument() }
        let object = try #require(node.object)
        #expect(object.members.count == 3)
        #expect(object["a"]?.text == "2")  // a repeated key resolves to its last value
        if case .string(let text)? = object.members.first?.value {
            #expect(text == "x\"yé😀\n")
        } else {
            Issue.record("expected a string")
        }
        #expect(object["b"]?.array?.first?.text == "1.50")

        for (bad, line) in [("{\n\"a\": tru}", 2), ("[1,\n2,\n]", 3), ("{\"a\" 1}", 1), ("\"abc", 1), ("[01]", 1)] {
            do {
                _ = try JSONByteParser.withParser(Data(bad.utf8), file: "t.json") { try $0.parseDocument() }
                Issue.record("\(bad) parsed")
            } catch let error as PipsightError {
                #expect(error.code == .malformedJSON)
                #expect(error.location?.line == line, "\(bad)")
            }
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: PipsightError.self) {
            try JSONByteParser.withParser(Data(deep.utf8), file: "t.json") { try $0.parseDocument() }
        }
    }
}
