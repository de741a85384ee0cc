import Foundation

/// cTrader writes times as epoch milliseconds (UTC). This checks that a number is a plausible time
/// (a date from 2000 through 2099) and accepts a value that only makes sense as epoch *seconds* by
/// multiplying it by 1000.
enum EpochMilliseconds {
    /// 2000-01-01T00:00:00Z in milliseconds.
    static let lowerBound: Int64 = 946_684_800_000
    /// 2100-01-01T00:00:00Z in milliseconds (exclusive).
    static let upperBound: Int64 = 4_102_444_800_000

    /// The date for `milliseconds`, or for `milliseconds` read as seconds when that is what fits;
    /// nil when neither reading falls in 2000–2099.
    static func date(fromMilliseconds milliseconds: Int64) -> Date? {
        if milliseconds >= lowerBound, milliseconds < upperBound {
            return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
        }
        if milliseconds >= lowerBound / 1000, milliseconds < upperBound / 1000 {
            return Date(timeIntervalSince1970: TimeInterval(milliseconds))
        }
        return nil
    }

    /// Same as ``date(fromMilliseconds:)`` for a number with a fraction (`1762761600326.5`).
    static func date(fromMilliseconds milliseconds: Double) -> Date? {
        guard milliseconds.isFinite else { return nil }
        let low = Double(lowerBound), high = Double(upperBound)
        if milliseconds >= low, milliseconds < high {
            return Date(timeIntervalSince1970: milliseconds / 1000)
        }
        if milliseconds >= low / 1000, milliseconds < high / 1000 {
            return Date(timeIntervalSince1970: milliseconds)
        }
        return nil
    }

    /// An ISO 8601 date-time (`2025-11-10T08:00:00Z`, fractional seconds optional; no zone = UTC).
    static func date(iso8601 text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 10, trimmed.first?.isNumber == true else { return nil }
        var candidate = trimmed.replacingOccurrences(of: " ", with: "T")
        if candidate.count == 10 { candidate += "T00:00:00" }
        let hasZone = candidate.hasSuffix("Z")
            || candidate.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" })
        if !hasZone { candidate += "Z" }
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let withoutFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
        if let date = try? withoutFraction.parse(candidate) { return date }
        if let date = try? withFraction.parse(candidate) { return date }
        return nil
    }
}
