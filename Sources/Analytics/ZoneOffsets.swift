import Foundation
import PipsightCore

/// The UTC offset of a time zone over a span of time, as the list of its transitions (Foundation's tz
/// database, the one `Calendar` reads), so that a million local times cost a comparison each instead of
/// a `Calendar` call each.
struct ZoneOffsets {
    /// Start of each period (milliseconds since 1970; the first is `Int64.min`) and its offset in milliseconds.
    private var starts: [Int64] = [Int64.min]
    private var offsets: [Int64]

    init(timeZone: TimeZone, fromMillis: Int64, toMillis: Int64) {
        let start = Date(timeIntervalSince1970: Double(fromMillis) / 1000 - 86_400)
        offsets = [Int64(timeZone.secondsFromGMT(for: start)) * 1000]
        let end = Date(timeIntervalSince1970: Double(toMillis) / 1000 + 86_400)
        var cursor = start
        // Bounded: two transitions a year over a century is far below this.
        for _ in 0..<100_000 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next <= end, next > cursor else { break }
            starts.append(Int64((next.timeIntervalSince1970 * 1000).rounded()))
            offsets.append(Int64(timeZone.secondsFromGMT(for: next)) * 1000)
            cursor = next
        }
    }

    /// The offset at `millis`; `hint` is the period found last (times mostly come in order).
    func offset(at millis: Int64, hint: inout Int) -> Int64 {
        if starts.count == 1 { return offsets[0] }
        var index = hint
        if millis >= starts[index] {
            while index + 1 < starts.count, millis >= starts[index + 1] { index += 1 }
        } else {
            var low = 0
            var high = index
            // Last start ≤ millis in starts[0..<high].
            while low + 1 < high {
                let middle = (low + high) / 2
                if starts[middle] <= millis { low = middle } else { high = middle }
            }
            index = low
        }
        hint = index
        return offsets[index]
    }
}

/// Calendar fields of local milliseconds since 1970 (proleptic Gregorian, as PostgreSQL and Foundation).
enum LocalTime {
    static let dayMillis: Int64 = 86_400_000

    static func day(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / dayMillis : (millis - dayMillis + 1) / dayMillis
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(day: Int64) -> Int {
        Int(((day % 7) + 7 + 3) % 7) + 1
    }

    static func hour(_ millis: Int64) -> Int {
        Int((millis - day(millis) * dayMillis) / 3_600_000)
    }

    /// `year × 12 + month − 1` of a day count.
    static func monthKey(day days: Int64) -> Int {
        let date = CivilDate.fromDays(days)
        return Int(date.year * 12 + date.month - 1)
    }
}
