import Foundation

/// Reads and builds `Decimal`s whose significand fits 64 bits without Foundation's slow paths.
///
/// Foundation has no public accessor for a `Decimal`'s integer significand: `significand` is another `Decimal`, and
/// turning that into an integer goes through an `NSDecimalNumber` (an allocation, about 110 ns) or `description`
/// (about 1 µs). A million-trade ingest reads fifteen amounts per trade, so that cost mattered. `Decimal` is a plain
/// 20-byte value (exponent, length and flags, then eight 16-bit mantissa words, as `NSDecimal`; only the packing of
/// the length and sign bits differs between Foundations); ``significand(of:)`` reads the mantissa words in place.
/// The layout is checked once, on first use, against values built through the public API; where neither known
/// packing matches (another Foundation), every call takes the `NSDecimalNumber` path instead, so the result is the
/// same either way, only slower.
///
/// ``make(magnitude:negative:exponent:)`` builds a value from a scaled integer (`-123456`, exponent -2 → -1234.56)
/// exactly as `Decimal(sign:exponent:significand:)` does (trailing zeros dropped), through the public API.
public enum DecimalSignificand {
    /// The magnitude of `value`'s integer significand (`-1234.56` → 123456, with `value.exponent` -2), or nil when it
    /// does not fit 64 bits or `value` is NaN.
    @inline(__always)
    public static func significand(of value: Decimal) -> UInt64? {
        if let layout { return raw(value, layout) }
        return viaNumber(value)
    }

    /// `±magnitude × 10^exponent` as a `Decimal`; nil when the exponent is outside `Decimal`'s range (-128...127).
    public static func make(magnitude: UInt64, negative: Bool, exponent: Int) -> Decimal? {
        guard exponent > -128, exponent < 127 else { return nil }
        return Decimal(sign: negative && magnitude != 0 ? .minus : .plus, exponent: exponent, significand: Decimal(magnitude))
    }

    /// Where the mantissa length and the sign sit in the second byte: the low four bits and bit 4 in
    /// swift-corelibs-foundation and Darwin's `NSDecimal`, the high four bits and bit 3 in swift-foundation.
    enum Layout: CaseIterable {
        case lengthLow
        case lengthHigh

        @inline(__always)
        func length(_ flags: UInt8) -> Int {
            switch self {
            case .lengthLow: Int(flags & 0x0F)
            case .lengthHigh: Int(flags >> 4)
            }
        }

        @inline(__always)
        func isNegative(_ flags: UInt8) -> Bool {
            switch self {
            case .lengthLow: flags & 0x10 != 0
            case .lengthHigh: flags & 0x08 != 0
            }
        }
    }

    /// The mantissa words of `value` read in place (16-bit words from offset 4, least significant first).
    @inline(__always)
    static func raw(_ value: Decimal, _ layout: Layout) -> UInt64? {
        withUnsafeBytes(of: value) { bytes -> UInt64? in
            let length = layout.length(bytes[1])
            if length == 0 { return layout.isNegative(bytes[1]) ? nil : 0 }  // NaN (length 0, negative), or zero
            guard length <= 4 else { return nil }
            var result: UInt64 = 0
            for word in stride(from: length - 1, through: 0, by: -1) {
                result = result << 16 | UInt64(bytes.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self))
            }
            return result
        }
    }

    /// The portable path: the significand through `NSDecimalNumber` (exact below 2^53 as a double).
    static func viaNumber(_ value: Decimal) -> UInt64? {
        guard !value.isNaN else { return nil }
        if value.isZero { return 0 }
        let significand = NSDecimalNumber(decimal: value.significand).doubleValue
        guard significand.isFinite, significand < 9_007_199_254_740_992, significand.rounded() == significand else {
            return nil
        }
        return UInt64(significand)
    }

    /// The layout ``raw(_:_:)`` reads this Foundation's `Decimal` with, or nil when neither matches: checked on values
    /// from one digit to 20, positive and negative, zero, NaN and a 24-digit significand.
    static let layout: Layout? = Layout.allCases.first(where: matches)

    static func matches(_ layout: Layout) -> Bool {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let magnitudes: [UInt64] = [
            1, 7, 65_535, 65_536, 123_456, 4_294_967_297, 281_474_976_710_655, 281_474_976_710_657,
            1_234_567_890_123_456_789, 9_007_199_254_740_993, UInt64.max,
        ]
        for magnitude in magnitudes {
            for negative in [false, true] {
                for exponent in [-9, -2, 0, 3] {
                    let value = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(magnitude))
                    // Foundation drops trailing zeros: compare the value the raw read gives with the public one.
                    guard let read = raw(value, layout), value.isSignMinus == negative,
                          Decimal(sign: value.sign, exponent: value.exponent, significand: Decimal(read)) == value
                    else { return false }
                }
            }
        }
        guard raw(0, layout) == 0, raw(Decimal.nan, layout) == nil,
              let big = Decimal(string: "123456789012345678901234"), raw(big, layout) == nil
        else { return false }
        return true
    }
}
