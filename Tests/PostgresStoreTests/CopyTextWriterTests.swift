import Foundation
import NIOCore
import PipsightCore
@testable import PostgresStore
import Testing

@Suite("COPY text encoding")
struct CopyTextWriterTests {
    @Test("special characters are escaped as PostgreSQL's text format requires")
    func escapes() {
        var writer = CopyTextWriter()
        writer.text("a\tb\\c\nd\re")
        writer.null()
        writer.text("plain")
        writer.endRow()
        let text = writer.allChunks.map { String(buffer: $0) }.joined()
        #expect(text == "a\\tb\\\\c\\nd\\re\t\\N\tplain\n")
        #expect(writer.rowCount == 1)
    }

    @Test("timestamps match Foundation's ISO 8601 formatting, before and after 1970")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            var buffer = ByteBuffer()
            TimestampText.write(date, into: &buffer)
            let expected = formatter.string(from: date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "+00")
            #expect(String(buffer: buffer) == expected)
        }
    }

    @Test("integers are written in decimal digits, both signs and the extremes")
    func integers() {
        var writer = CopyTextWriter()
        let values: [Int64] = [0, 7, -7, 1_000_000, Int64.max, Int64.min]
        for value in values { writer.integer(value) }
        writer.integer(UInt64.max)
        writer.endRow()
        let text = writer.allChunks.map { String(buffer: $0) }.joined()
        #expect(text == (values.map(String.init) + [String(UInt64.max)]).joined(separator: "\t") + "\n")
    }

    @Test("JSON objects of plain strings are written as the general JSON path writes them", arguments: [
        [String: JSONValue](), ["comment": .string("TP")],
        ["Closing USD Volume": .string("12,345.67"), "comment": .string("partial close, 50%"), "Zeta": .string("ü €")],
        ["quote": .string("say \"hi\"")], ["tab": .string("a\tb")], ["back": .string("a\\b")],
        ["nul": .string("a\u{0}b")], ["n": .number(1.5)], ["del": .string("a\u{7F}")],
    ])
    func jsonObjects(_ members: [String: JSONValue]) {
        var fast = CopyTextWriter()
        fast.json(members)
        fast.endRow()
        var general = CopyTextWriter()
        general.text(members.isEmpty ? "{}" : PostgresText.json(.object(members)))
        general.endRow()
        #expect(fast.allChunks.map { String(buffer: $0) } == general.allChunks.map { String(buffer: $0) })
    }

    @Test("large inputs are split into bounded chunks")
    func chunks() {
        var writer = CopyTextWriter()
        let long = String(repeating: "x", count: 1000)
        for _ in 0..<3000 {
            writer.text(long)
            writer.endRow()
        }
        #expect(writer.allChunks.count >= 2)
        #expect(writer.allChunks.allSatisfy { $0.readableBytes < CopyTextWriter.chunkSize + 4096 })
        #expect(writer.allChunks.map(\.readableBytes).reduce(0, +) == 3000 * 1001)
    }
}

@Suite("Decimal text")
struct DecimalTextTests {
    static func text(_ value: Decimal) -> String {
        var buffer = ByteBuffer()
        DecimalText.write(value, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("hand-picked values read as people write them", arguments: [
        ("-1234.56", "-1234.56"), ("100", "100"), ("0", "0"), ("0.001", "0.001"), ("-0.5", "-0.5"),
        ("434.3999999999999", "434.3999999999999"), ("12345678901234567890.123", "12345678901234567890.123"),
    ])
    func known(_ input: String, _ expected: String) throws {
        let value = try #require(Decimal(string: input))
        #expect(Self.text(value) == expected)
    }

    @Test("random values, sums and products read back as the same Decimal")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let units = Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator)
            let scale = Int.random(in: 0...8, using: &generator)
            let base = try #require(Decimal(string: "\(units)e-\(scale)"))
            for value in [base, base + base, base * Decimal(3), base / Decimal(7)] {
                let text = Self.text(value)
                #expect(Decimal(string: text) == value, "\(value) written as \(text)")
            }
        }
    }
}
