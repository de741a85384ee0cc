import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// NaN, infinities, huge exponents, negative zero and locale number forms: each is read exactly as
/// `Decimal` or rejected with its location; money never passes through `Double`.
@Suite("Number edge cases")
struct NumberEdgeCaseTests {
    private typealias Support = CTraderJSONTestSupport

    private static func locale(_ text: String, _ decimal: DecimalSeparator) -> Decimal? {
        var copy = text
        return copy.withUTF8 { LocaleNumber.parse($0, decimal: decimal) }
    }

    @Test("locale forms parse exactly", arguments: [
        ("1.234,56", DecimalSeparator.comma, "1234.56"),
        ("1 234,56", .comma, "1234.56"),
        ("1\u{00A0}234,56", .comma, "1234.56"),
        ("1\u{202F}234,56", .comma, "1234.56"),
        ("1'234.56", .point, "1234.56"),
        ("1’234.56", .point, "1234.56"),
        ("1,234.56", .point, "1234.56"),
        ("-1.234.567,891", .comma, "-1234567.891"),
        ("(12.50)", .point, "-12.5"),
        ("\u{2212}0,1", .comma, "-0.1"),
        ("0.1", .point, "0.1"),
        ("12345678901234567890.123456789", .point, "12345678901234567890.123456789"),
    ])
    func localeForms(text: String, decimal: DecimalSeparator, expected: String) {
        #expect(Self.locale(text, decimal) == Support.decimal(expected), "\(text)")
    }

    @Test("malformed and non-finite locale forms are rejected", arguments: [
        "NaN", "Infinity", "-Infinity", "inf", "1e400", "1,23,456.00", "1.234,5.6", "12,", ",", "--1", "1 23,4",
        "1'234,56'", "", "  ", "(-1)",
    ])
    func localeRejects(text: String) {
        let decimal: DecimalSeparator = text.contains("'") || text.contains("e") ? .point : .comma
        #expect(Self.locale(text, decimal) == nil, "\(text)")
    }

    @Test("negative zero is zero, not Decimal's NaN")
    func negativeZero() {
        for (text, decimal) in [("-0", DecimalSeparator.comma), ("-0.0", .point), ("-0,00", .comma), ("-0e5", .point)] {
            let value = Self.locale(text, decimal)
            #expect(value == 0, "\(text)")
            #expect(value?.isNaN == false, "\(text)")
        }
        for text in ["-0", "-0.0", "-0.000e-3", "-0E+2"] {
            let value = JSONNumberLiteral.decimal(text)
            #expect(value == 0, "\(text)")
            #expect(value?.isNaN == false, "\(text)")
        }
    }

    @Test("JSON number text goes to Decimal digit for digit")
    func jsonExact() {
        // Values Double cannot hold: the decimal must be exactly the literal's digits.
        let cases = [
            ("0.1", "0.1"), ("434.3999999999999", "434.3999999999999"), ("-1.5e-3", "-0.0015"),
            ("123456789012345678901234.5", "123456789012345678901234.5"), ("1E2", "100"),
            ("0.30000000000000004", "0.30000000000000004"),
        ]
        for (text, expected) in cases {
            #expect(JSONNumberLiteral.decimal(text) == Support.decimal(expected), "\(text)")
        }
        #expect(JSONNumberLiteral.decimal("0.1")! + JSONNumberLiteral.decimal("0.2")! == Support.decimal("0.3"))
    }

    @Test("JSON NaN, infinities and out-of-range exponents are not money", arguments: [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "1" + String(repeating: "0", count: 200),
    ])
    func jsonNonFinite(literal: String) throws {
        let event = """
            [{"serial": 0, "positionId": 1, "event": "Create Position", "time": 1762761600000, "type": "Buy",
              "volume": 1, "entryPrice": \(literal)}]
            """
        let error = try #require(Support.error(EventsJSONParser(), event, name: "events.json"))
        #expect(error.code == .invalidValue || error.code == .wrongType, "\(literal)")
        #expect(error.location?.path == "[0].entryPrice", "\(literal)")
        #expect(error.location?.line == 1)
        #expect(JSONNumberLiteral.decimal(literal) == nil, "\(literal)")
    }

    @Test("CSV money that is not a finite number is rejected with line and column")
    func csvNonFinite() throws {
        for bad in ["NaN", "Infinity", "1e400", "1,2,3"] {
            let text = "ID;Opening Direction;Opening Time;Closing Time;Net EUR\n"
                + "1;Buy;02/01/2024 09:00:00;02/01/2024 10:00:00;1.234,56\n"
                + "2;Buy;02/01/2024 09:00:00;02/01/2024 10:00:00;\(bad)\n"
            let error = try #require(Support.error(HistoryCSVParser(), text, name: "h.csv"), "\(bad)")
            #expect(error.code == .wrongType || error.code == .invalidValue, "\(bad)")
            #expect(error.location?.line == 3, "\(bad)")
            #expect(error.location?.field?.contains("Net") == true, "\(bad)")
        }
        let good = "ID;Opening Direction;Opening Time;Closing Time;Net EUR\n"
            + "1;Buy;02/01/2024 09:00:00;02/01/2024 10:00:00;1.234,56\n"
            + "2;Buy;02/01/2024 09:00:00;02/01/2024 10:00:00;-0,00\n"
        let export = try HistoryCSVParser().parseAll(ImportInput(name: "h.csv", data: Data(good.utf8)))
        #expect(export.trades.map(\.netProfit) == [Support.decimal("1234.56"), 0])
    }
}
