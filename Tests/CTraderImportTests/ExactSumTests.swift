import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// The integer sum the parsers use instead of `Decimal` addition gives exactly what `Decimal` addition gives.
@Suite("Exact sums")
struct ExactSumTests {
    private static func decimal(_ text: String) throws -> Decimal {
        try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
    }

    /// The reference: Foundation's own addition, as `ClosingDeals` used to sum.
    private static func reference(_ values: [Decimal]) -> Decimal? {
        var total: Decimal?
        for value in values { total = (total ?? 0) + value }
        return total
    }

    @Test("hand-picked sums", arguments: [
        (["1.50"], "1.5"), (["1.25", "-1.25"], "0"), (["0.1", "0.02", "0.003"], "0.123"), (["-7"], "-7"),
        (["1e3", "0.5"], "1000.5"), (["0.00"], "0"),
        (["9223372036854775807", "1"], "9223372036854775808"),
        (["123456789012345678901234", "1"], "123456789012345678901235"),
        (["92233720368547758.07", "0.000001"], "92233720368547758.070001"),
    ])
    func known(_ addends: [String], _ expected: String) throws {
        var sum = ExactSum()
        for addend in addends { sum.add(try Self.decimal(addend)) }
        #expect(sum.result == (try Self.decimal(expected)))
        #expect(sum.result?.description == (try Self.decimal(expected)).description)
    }

    @Test("nothing added is nil")
    func empty() {
        #expect(ExactSum().result == nil)
    }

    @Test("random amounts at mixed scales sum to Foundation's result, digit for digit")
    func random() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let count = Int.random(in: 1...6, using: &generator)
            var values: [Decimal] = []
            for _ in 0..<count {
                let units = Int64.random(in: -100_000_000_000...100_000_000_000, using: &generator)
                values.append(try Self.decimal("\(units)e-\(Int.random(in: 0...9, using: &generator))"))
            }
            var sum = ExactSum()
            for value in values { sum.add(value) }
            let expected = Self.reference(values)
            #expect(sum.result == expected)
            #expect(sum.result?.description == expected?.description)
            #expect(ClosingDeals.sum(values) == expected)
            if values.count >= 2 {
                let difference = ExactSum.difference(values[0], values[1])
                #expect(difference == values[0] - values[1])
                #expect(difference.description == (values[0] - values[1]).description)
            }
        }
    }
}
