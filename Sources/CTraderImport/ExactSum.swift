import Foundation
import PipsightCore

/// A running sum of `Decimal`s kept as one scaled 64-bit integer, with `Decimal` arithmetic as the fallback.
///
/// `Decimal` addition costs about a microsecond; the parsers add several amounts per trade (the closing deals'
/// money, pips and volumes, the file's net profit), which made it one of the largest costs of an ingest. Amounts in
/// exports have at most 19 significant digits, so their exact sum is an integer count of 10^exponent units. The
/// result is the same value `Decimal` addition gives (both are exact here), built the way Foundation builds every
/// `Decimal` (trailing zeros dropped). When an addend does not fit (more than 64 bits, an overflow while aligning
/// exponents or adding), the sum continues in `Decimal` from there on.
struct ExactSum {
    /// The sum so far as `scaled × 10^exponent`, while it fits.
    private var scaled: Int64 = 0
    private var exponent = 0
    /// The sum so far once it no longer fits `scaled`.
    private var decimal: Decimal?
    /// The only addend, while there is exactly one (returned as it is).
    private var single: Decimal?
    private(set) var count = 0

    /// Adds `value`.
    mutating func add(_ value: Decimal) {
        count += 1
        single = count == 1 ? value : nil
        if let sum = decimal {
            decimal = sum + value
            return
        }
        guard let magnitude = DecimalSignificand.significand(of: value), magnitude <= UInt64(Int64.max) else {
            return fallBack(adding: value)
        }
        let addend = value.isSignMinus ? -Int64(magnitude) : Int64(magnitude)
        let valueExponent = value.exponent
        if count == 1 {
            (scaled, exponent) = (addend, valueExponent)
            return
        }
        // Align both to the smaller exponent, then add, each step checked.
        var left = scaled
        var right = addend
        if valueExponent < exponent {
            guard let aligned = left.multipliedByPowerOfTen(exponent - valueExponent) else { return fallBack(adding: value) }
            left = aligned
        } else if valueExponent > exponent {
            guard let aligned = right.multipliedByPowerOfTen(valueExponent - exponent) else { return fallBack(adding: value) }
            right = aligned
        }
        let (total, overflow) = left.addingReportingOverflow(right)
        guard !overflow else { return fallBack(adding: value) }
        scaled = total
        exponent = min(exponent, valueExponent)
    }

    /// `minuend - subtrahend`, exactly as `Decimal` subtraction gives it.
    static func difference(_ minuend: Decimal, _ subtrahend: Decimal) -> Decimal {
        var sum = ExactSum()
        sum.add(minuend)
        sum.add(-subtrahend)
        return sum.result ?? minuend - subtrahend
    }

    /// The sum, or nil when nothing was added.
    var result: Decimal? {
        if count == 0 { return nil }
        if let decimal { return decimal }
        // One addend already without trailing zeros is exactly what `0 + value` gives.
        if count == 1, let single, scaled % 10 != 0 { return single }
        return DecimalSignificand.make(magnitude: scaled.magnitude, negative: scaled < 0, exponent: exponent)
            ?? Self.decimal(scaled, exponent)
    }

    /// Continues in `Decimal`: the integer sum so far plus `value`.
    private mutating func fallBack(adding value: Decimal) {
        let sofar: Decimal = count == 1 ? 0 : Self.decimal(scaled, exponent)
        decimal = sofar + value
    }

    private static func decimal(_ scaled: Int64, _ exponent: Int) -> Decimal {
        Decimal(sign: scaled < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(scaled.magnitude))
    }
}
