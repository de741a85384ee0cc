import Analytics
import Foundation
import NIOCore
import PipsightCore

/// Writes a `Decimal` as plain decimal text (`-1234.56`) for COPY. `Decimal.description` costs about a
/// microsecond, which at fifteen money columns per trade dominated a million-trade ingest; this path reads the
/// integer significand in place (`DecimalSignificand`) and writes its digits straight into the buffer, placing the
/// decimal point from the exponent. A significand beyond 63 bits or an exponent beyond ±29 falls back to
/// `description`.
///
/// The same significand and exponent give the exact scaled integer the statistics columns keep
/// (`TradeColumns`), returned at no further cost (on the fallback path, read from the text); nil when it does not fit.
enum DecimalText {
    /// The most bytes ``write(_:to:)`` writes: a sign, 19 digits, `0.` and 29 zeros (or 29 trailing zeros).
    static let maxBytes = 64

    @discardableResult
    static func write(_ value: Decimal, into buffer: inout ByteBuffer) -> ScaledAmount? {
        var scaled: ScaledAmount?
        var fits = true
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maxBytes) { out in
            guard let (count, amount) = write(value, to: out) else {
                fits = false
                return 0
            }
            scaled = amount
            return count
        }
        if fits { return scaled }
        let text = value.description
        buffer.writeString(text)
        return ScaledAmount(text: text)
    }

    /// Writes `value` at the start of `out` (at least ``maxBytes`` long): the bytes written and the scaled amount,
    /// or nil (nothing written) when the value needs `description` (see the type's comment).
    @inline(__always)
    static func write(_ value: Decimal, to out: UnsafeMutableRawBufferPointer) -> (Int, ScaledAmount?)? {
        let exponent = value.exponent
        guard let magnitude = DecimalSignificand.significand(of: value), magnitude <= UInt64(Int64.max),
              exponent > -30, exponent < 30
        else { return nil }
        if magnitude == 0 {
            out[0] = UInt8(ascii: "0")
            return (1, ScaledAmount(value: 0, scale: 0))
        }
        let negative = value.isSignMinus
        let scaled = ScaledAmount(significand: Int64(magnitude), negative: negative, exponent: exponent)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, filled from the end
        let written = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var first = scratch.count
            var remaining = magnitude
            while remaining > 0 {
                first -= 1
                scratch[first] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            let count = scratch.count - first
            var at = 0
            if negative {
                out[at] = UInt8(ascii: "-")
                at += 1
            }
            if exponent >= 0 {
                for index in first..<scratch.count { out[at] = scratch[index]; at += 1 }
                for _ in 0..<exponent { out[at] = UInt8(ascii: "0"); at += 1 }
                return at
            }
            let fraction = -exponent
            if count <= fraction {
                out[at] = UInt8(ascii: "0")
                out[at + 1] = UInt8(ascii: ".")
                at += 2
                for _ in 0..<(fraction - count) { out[at] = UInt8(ascii: "0"); at += 1 }
                for index in first..<scratch.count { out[at] = scratch[index]; at += 1 }
            } else {
                let point = scratch.count - fraction
                for index in first..<point { out[at] = scratch[index]; at += 1 }
                out[at] = UInt8(ascii: ".")
                at += 1
                for index in point..<scratch.count { out[at] = scratch[index]; at += 1 }
            }
            return at
        }
        return (written, scaled)
    }
}
