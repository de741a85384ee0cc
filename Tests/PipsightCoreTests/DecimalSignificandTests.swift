import Foundation
import Testing

@testable import PipsightCore

@Suite("Decimal significand")
struct DecimalSignificandTests {
    @Test("significands are read exactly, from one digit to 19, both signs and any exponent", arguments: [
        ("0", UInt64(0)), ("1", 1), ("-1234.56", 123_456), ("0.00001", 1), ("1.50", 15), ("65536", 65_536),
        ("-4294967297", 4_294_967_297), ("123456789012345.6789", 1_234_567_890_123_456_789),
        ("9007199254740993", 9_007_199_254_740_993), ("1e20", 1), ("18446744073709551615", UInt64.max),
    ])
    func known(_ text: String, _ expected: UInt64) throws {
        let value = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        #expect(DecimalSignificand.significand(of: value) == expected)
    }

    @Test("this Foundation's Decimal layout is recognised, so the fast path is the one in use")
    func layoutRecognised() {
        #expect(DecimalSignificand.layout != nil)
    }

    @Test("a significand beyond 64 bits and NaN have none")
    func outOfRange() throws {
        let big = try #require(Decimal(string: "123456789012345678901234"))
        #expect(DecimalSignificand.significand(of: big) == nil)
        #expect(DecimalSignificand.significand(of: .nan) == nil)
    }

    @Test("random values: significand and exponent give the value back, as after Decimal arithmetic")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let units = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &generator)
            let scale = Int.random(in: 0...10, using: &generator)
            let base = try #require(Decimal(string: "\(units)e-\(scale)"))
            for value in [base, base + base, base * 3, base - 1] {
                let magnitude = try #require(DecimalSignificand.significand(of: value))
                let rebuilt = try #require(
                    DecimalSignificand.make(magnitude: magnitude, negative: value.isSignMinus, exponent: value.exponent))
                #expect(rebuilt == value, "\(value)")
                #expect(rebuilt.description == value.description)
            }
        }
    }
}
