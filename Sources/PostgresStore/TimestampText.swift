import Foundation
import NIOCore
import PipsightCore

/// Writes a `Date` as PostgreSQL timestamptz text in UTC (`2025-11-10 08:00:00.326+00`) without a formatter:
/// the civil date comes from days since the epoch (Howard Hinnant's algorithm), so a million rows cost nothing.
enum TimestampText {
    static func write(_ date: Date, into buffer: inout ByteBuffer) {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 {
            millisOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDate.fromDays(days)
        let hour = millisOfDay / 3_600_000
        let minute = (millisOfDay / 60_000) % 60
        let second = (millisOfDay / 1000) % 60
        let millis = millisOfDay % 1000
        pad(year, 4, &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        pad(month, 2, &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        pad(day, 2, &buffer)
        buffer.writeInteger(UInt8(ascii: " "))
        pad(hour, 2, &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        pad(minute, 2, &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        pad(second, 2, &buffer)
        buffer.writeInteger(UInt8(ascii: "."))
        pad(millis, 3, &buffer)
        buffer.writeStaticString("+00")
    }

    /// Writes `value` (non-negative, below 10^width) with leading zeros.
    private static func pad(_ value: Int64, _ width: Int, _ buffer: inout ByteBuffer) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }
}
