import Foundation
import NIOCore
import PipsightCore

/// Writes a `Date` as PostgreSQL timestamptz text in UTC (`2025-11-10 08:00:00.326+00`) without a formatter:
/// the civil date comes from days since the epoch (Howard Hinnant's algorithm), so a million rows cost nothing.
enum TimestampText {
    /// The most bytes ``write(_:to:)`` writes (a five-digit year, the rest fixed).
    static let maxBytes = 32

    static func write(_ date: Date, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maxBytes) { write(date, to: $0) }
    }

    /// Writes `date` at the start of `out` (at least ``maxBytes`` long) and returns the bytes written.
    @inline(__always)
    static func write(_ date: Date, to out: UnsafeMutableRawBufferPointer) -> Int {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 {
            millisOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDate.fromDays(days)
        var at = 0
        // Years before 1 or after 9999 are not written by any export; they keep PostgreSQL's plain digits.
        pad(year, year > 9999 ? 5 : 4, out, &at)
        out[at] = UInt8(ascii: "-")
        at += 1
        pad(month, 2, out, &at)
        out[at] = UInt8(ascii: "-")
        at += 1
        pad(day, 2, out, &at)
        out[at] = UInt8(ascii: " ")
        at += 1
        pad(millisOfDay / 3_600_000, 2, out, &at)
        out[at] = UInt8(ascii: ":")
        at += 1
        pad((millisOfDay / 60_000) % 60, 2, out, &at)
        out[at] = UInt8(ascii: ":")
        at += 1
        pad((millisOfDay / 1000) % 60, 2, out, &at)
        out[at] = UInt8(ascii: ".")
        at += 1
        pad(millisOfDay % 1000, 3, out, &at)
        out[at] = UInt8(ascii: "+")
        out[at + 1] = UInt8(ascii: "0")
        out[at + 2] = UInt8(ascii: "0")
        return at + 3
    }

    /// Writes `value` (non-negative, below 10^width) with leading zeros.
    @inline(__always)
    private static func pad(_ value: Int64, _ width: Int, _ out: UnsafeMutableRawBufferPointer, _ at: inout Int) {
        var remaining = value
        var index = at + width - 1
        while index >= at {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
        at += width
    }
}
