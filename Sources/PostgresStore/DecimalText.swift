import Analytics
import Foundation
import NIOCore

/// Writes a `Decimal` as plain decimal text (`-1234.56`) for COPY. `Decimal.description` costs about a
/// microsecond, which at fifteen money columns per trade dominated a million-trade ingest; this path
/// reads the integer significand through a double (exact below 2^53, which every price and amount in an
/// export is) and places the decimal point from the exponent. Anything larger falls back to `description`.
///
/// The same significand and exponent give the exact scaled integer the statistics columns keep
/// (`TradeColumns`), returned at no further cost (on the fallback path, read from the text); nil when it does not fit.
enum DecimalText {
    @discardableResult
    static func write(_ value: Decimal, into buffer: inout ByteBuffer) -> ScaledAmount? {
        let exponent = value.exponent
        let significand = NSDecimalNumber(decimal: value.significand).doubleValue
        guard significand.isFinite, significand < 9_007_199_254_740_992, significand.rounded() == significand,
              exponent > -30, exponent < 30
        else {
            let text = value.description
            buffer.writeString(text)
            return ScaledAmount(text: text)
        }
        let magnitude = UInt64(significand)
        if magnitude == 0 {
            buffer.writeInteger(UInt8(ascii: "0"))
            return ScaledAmount(value: 0, scale: 0)
        }
        let scaled = ScaledAmount(significand: Int64(magnitude), negative: value.isSignMinus, exponent: exponent)
        if value.isSignMinus { buffer.writeInteger(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var remaining = magnitude
        while remaining > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        }
        digits.reverse()
        if exponent >= 0 {
            buffer.writeBytes(digits)
            for _ in 0..<exponent { buffer.writeInteger(UInt8(ascii: "0")) }
            return scaled
        }
        let fraction = -exponent
        if digits.count <= fraction {
            buffer.writeStaticString("0.")
            for _ in 0..<(fraction - digits.count) { buffer.writeInteger(UInt8(ascii: "0")) }
            buffer.writeBytes(digits)
        } else {
            buffer.writeBytes(digits[..<(digits.count - fraction)])
            buffer.writeInteger(UInt8(ascii: "."))
            buffer.writeBytes(digits[(digits.count - fraction)...])
        }
        return scaled
    }
}
