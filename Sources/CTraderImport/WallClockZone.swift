import Foundation

/// Converts wall-clock times of a named time zone (`Opening Time (Europe/Berlin)`) to UTC, refusing the
/// times that do not exist in that zone (the hour skipped when daylight-saving time starts).
enum WallClockZone {
    /// A zone named by an IANA identifier with a `/` (`Europe/Berlin`, `America/New_York`); abbreviations
    /// such as `CET` are ambiguous and not accepted (fixed offsets are written `UTC+1`).
    static func zone(named text: String) -> TimeZone? {
        guard text.contains("/"), !text.contains(" ") else { return nil }
        return TimeZone(identifier: text)
    }

    /// The UTC milliseconds of `wallClock` (milliseconds of the wall-clock time read as if it were UTC) in
    /// `zone`, or nil when that wall-clock time falls in a daylight-saving gap. A time that occurs twice (when
    /// the clocks go back) is read as the first occurrence, the one with the larger offset.
    static func utcMilliseconds(wallClock: Int64, in zone: TimeZone) -> Int64? {
        let seconds = Double(wallClock / 1000)
        // The offsets in force a day before and a day after: every transition near this time is between them.
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds - 86_400))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds + 86_400))
        var best: Int64?
        for offset in Set([before, after]) {
            let utc = wallClock - Int64(offset) * 1000
            let instant = Date(timeIntervalSince1970: Double(utc) / 1000)
            guard zone.secondsFromGMT(for: instant) == offset else { continue }
            best = min(best ?? utc, utc)
        }
        return best
    }
}
