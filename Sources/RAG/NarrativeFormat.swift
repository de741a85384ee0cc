import Foundation

/// Number, date and duration formatting for document text (UTC, locale-independent, `.` decimal separator).
enum NarrativeFormat {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    struct Parts: Hashable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, weekday: Int

        var weekdayName: String { NarrativeFormat.weekdays[(weekday - 1 + 7) % 7] }
        var monthName: String { NarrativeFormat.months[(month - 1 + 12) % 12] }
        var dayKey: String { String(format: "%04d-%02d-%02d", year, month, day) }
        var monthKey: String { String(format: "%04d-%02d", year, month) }
        var time: String { String(format: "%02d:%02d", hour, minute) }
    }

    static func parts(_ date: Date) -> Parts {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        return Parts(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0,
                     minute: c.minute ?? 0, weekday: c.weekday ?? 1)
    }

    /// `Tuesday 2024-03-05 08:15 UTC`.
    static func dateTime(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.weekdayName) \(p.dayKey) \(p.time) UTC"
    }

    /// Money with two decimals (`-12.50`), `n/a` when unknown.
    static func money(_ value: Decimal?) -> String {
        guard let value else { return "n/a" }
        return fixed(value, places: 2)
    }

    /// Money with an explicit sign (`+12.50`, `-3.00`).
    static func signedMoney(_ value: Decimal) -> String {
        let text = fixed(value, places: 2)
        return value > 0 ? "+" + text : text
    }

    /// A decimal rounded half away from zero to `places`, without grouping.
    static func fixed(_ value: Decimal, places: Int) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, places, .plain)
        let negative = rounded < 0
        let magnitude = negative ? -rounded : rounded
        var text = NSDecimalNumber(decimal: magnitude).stringValue
        if places > 0 {
            if let dot = text.firstIndex(of: ".") {
                let decimals = text.distance(from: text.index(after: dot), to: text.endIndex)
                if decimals < places { text += String(repeating: "0", count: places - decimals) }
            } else {
                text += "." + String(repeating: "0", count: places)
            }
        }
        return (negative && rounded != 0 ? "-" : "") + text
    }

    /// A price as the export gives it (no rounding).
    static func price(_ value: Decimal?) -> String {
        guard let value else { return "n/a" }
        return NSDecimalNumber(decimal: value).stringValue
    }

    /// Pips with one decimal and a sign.
    static func pips(_ value: Decimal?) -> String {
        guard let value else { return "n/a" }
        let text = fixed(value, places: 1)
        return value > 0 ? "+" + text : text
    }

    /// A percentage with one decimal (`0.5` → `50.0%`).
    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// `3h 25m`, `2d 4h 10m`, `45m`, `30s`.
    static func duration(seconds: Int) -> String {
        guard seconds >= 60 else { return "\(max(0, seconds))s" }
        let days = seconds / 86_400, hours = (seconds % 86_400) / 3600, minutes = (seconds % 3600) / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 || parts.isEmpty { parts.append("\(minutes)m") }
        return parts.joined(separator: " ")
    }

    /// `1st`, `2nd`, `3rd`, `11th`.
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
