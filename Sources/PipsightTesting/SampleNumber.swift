import Foundation
import PipsightCore

/// Integer-to-text and integer-to-`Decimal` conversions used by the sample writers (exact, no `Double`).
enum SampleNumber {
    /// `value × 10^-scale` as an exact `Decimal`.
    static func decimal(_ value: Int64, scale: Int) -> Decimal {
        Decimal(sign: value < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(value.magnitude))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `value × 10^-scale` as text: `-1234.50` with `.` and no grouping (JSON style, trailing zeros kept).
    static func plain(_ value: Int64, scale: Int) -> String {
        fixed(value, scale: scale, decimal: ".", grouping: nil)
    }

    /// `value × 10^-scale` as text with the given decimal separator and optional thousands separator.
    static func fixed(_ value: Int64, scale: Int, decimal: String, grouping: String?) -> String {
        let negative = value < 0
        var magnitude = value.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let integer = magnitude / divisor
        magnitude %= divisor
        var integerText = String(integer)
        if let grouping, integerText.count > 3 {
            var grouped = ""
            for (offset, character) in integerText.enumerated() {
                if offset > 0, (integerText.count - offset) % 3 == 0 { grouped += grouping }
                grouped.append(character)
            }
            integerText = grouped
        }
        var text = negative ? "-" : ""
        text += integerText
        if scale > 0 {
            var fraction = String(magnitude)
            while fraction.count < scale { fraction = "0" + fraction }
            text += decimal + fraction
        }
        return text
    }

    /// JSON number text of `value × 10^-scale`, trailing zeros of the fraction removed (`12.5`, `-3`, `0`).
    static func json(_ value: Int64, scale: Int) -> String {
        var text = plain(value, scale: scale)
        if scale > 0 {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Civil date-time parts (UTC) of epoch milliseconds.
    static func civil(_ milliseconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millisecond = Int(milliseconds - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Howard Hinnant's civil_from_days.
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60, millisecond)
    }

    /// Weekday of epoch seconds, Monday = 0 … Sunday = 6.
    static func weekday(seconds: Int64) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return Int(((days + 3) % 7 + 7) % 7)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    static func three(_ value: Int) -> String { value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : String(value) }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// JSON string literal (`<`, `>` and `&` escaped too, so the text can sit inside an HTML script element).
    static func jsonString(_ text: String) -> String {
        JSONValue.quoted(text, escapingHTML: true)
    }

    /// XML attribute text.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
