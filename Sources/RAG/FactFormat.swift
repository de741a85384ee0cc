import Foundation

/// How facts write numbers and dates: money with two decimals and no grouping (`-1234.50`), percentages with
/// one decimal, times as `2024-03-04 10:00 UTC`. Plain and stable so that answers can be checked.
enum FactFormat {
    /// `-1234.50`.
    static func money(_ value: Decimal) -> String {
        var rounded = Decimal()
        var input = value
        NSDecimalRound(&rounded, &input, 2, .plain)
        let text = "\(rounded)"
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }

    /// `54.2 %`.
    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f %%", fraction * 100)
    }

    /// `1.85`.
    static func ratio(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// `2024-03-04 10:00 UTC`.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// A Decimal from a Double rounded to `places`.
    static func decimal(_ value: Double, places: Int) -> Decimal {
        var input = Decimal(value)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, places, .plain)
        return rounded
    }
}
