import Foundation
import PipsightCore

/// An exact decimal amount as an integer count of 10^-`scale` units (`-1234.56` is `-123456` at scale 2).
/// The columnar statistics (`ColumnarStatistics`) sum these as integers, so money stays exact without
/// `Decimal` arithmetic per trade.
public struct ScaledAmount: Sendable, Hashable {
    public var value: Int64
    public var scale: Int

    /// The largest scale kept (eighteen decimals: exports written from doubles carry amounts such as
    /// `1.62999999999997`); an amount with more, or one that overflows 64 bits at the backtest's common scale,
    /// makes the columns unavailable.
    public static let maxScale = 18

    public init(value: Int64, scale: Int) {
        self.value = value
        self.scale = scale
    }

    /// The exact scaled form of `decimal`; nil when it does not fit (more than `maxScale` decimals, a
    /// significand of 2^53 or more, NaN).
    public init?(_ decimal: Decimal) {
        guard !decimal.isNaN else { return nil }
        if decimal.isZero {
            self.init(value: 0, scale: 0)
            return
        }
        let significand = NSDecimalNumber(decimal: decimal.significand).doubleValue
        guard significand.isFinite, significand < 9_007_199_254_740_992, significand.rounded() == significand else {
            // 2^53 or more (17 significant digits, as exports written from doubles have): through the digits.
            self.init(text: decimal.description)
            return
        }
        self.init(significand: Int64(significand), negative: decimal.isSignMinus, exponent: decimal.exponent)
    }

    /// The exact scaled form of plain decimal text (`-34638.519999999975`); nil for anything else or when
    /// it does not fit.
    public init?(text: String) {
        var value: Int64 = 0
        var scale = 0
        var negative = false
        var seenPoint = false
        var digits = 0
        for (position, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where position == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !seenPoint else { return nil }
                seenPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = times + Int64(byte - UInt8(ascii: "0"))
                digits += 1
                if seenPoint { scale += 1 }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        self.init(significand: value, negative: negative, exponent: -scale)
    }

    /// `±significand × 10^exponent`; nil when it does not fit.
    public init?(significand: Int64, negative: Bool, exponent: Int) {
        var value = negative ? -significand : significand
        var scale = -exponent
        if scale < 0 {
            guard let scaled = value.multipliedByPowerOfTen(-scale) else { return nil }
            value = scaled
            scale = 0
        }
        // Trailing zeros cost nothing to drop and keep the common scale low (1.50 is 150 at scale 2, 15 at 1).
        while scale > 0, value % 10 == 0 {
            value /= 10
            scale -= 1
        }
        guard scale <= Self.maxScale else { return nil }
        self.init(value: value, scale: scale)
    }

    /// This amount at a larger (or equal) scale; nil on overflow.
    public func at(scale target: Int) -> Int64? {
        guard target >= scale else { return nil }
        return value.multipliedByPowerOfTen(target - scale)
    }

    /// 10^power as an Int64 (power ≤ 18).
    static func powerOfTen(_ power: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<power { result *= 10 }
        return result
    }

    /// The `Decimal` of `units × 10^-scale`, exactly.
    public static func decimal(_ units: Int128, scale: Int) -> Decimal {
        let magnitude = units.magnitude
        if magnitude <= UInt128(UInt64.max) {
            return Decimal(
                sign: units < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(UInt64(magnitude)))
        }
        // Beyond 64 bits (sums of very large amounts): through the digits, still exact.
        return Decimal(string: "\(units)e-\(scale)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal.nan
    }

    /// The nearest `Double` of `units × 10^-scale` (correctly rounded, as PostgreSQL's `numeric::float8`).
    static func double(_ units: Int128, scale: Int) -> Double {
        Double("\(units)e-\(scale)") ?? .nan
    }
}
