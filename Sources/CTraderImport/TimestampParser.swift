/// The order of day, month and year in a date whose year does not come first.
enum DateOrder: Sendable, Hashable {
    /// `31/12/2024`, `31.12.2024`
    case dayMonthYear
    /// `12/31/2024`
    case monthDayYear
}

/// A hand-rolled parser for the date-time texts of History exports (no `DateFormatter` per row):
/// `dd/MM/yyyy HH:mm:ss(.SSS)`, `dd.MM.yyyy HH:mm:ss`, `MM/dd/yyyy …`, `yyyy-MM-dd HH:mm:ss(.SSS)`,
/// ISO 8601 (`2024-03-01T09:30:00.250Z`, `…+04:00`), optional seconds, optional `AM`/`PM`.
struct TimestampParser: Sendable {
    /// A parsed time: milliseconds since 1970 of the wall-clock text read as UTC, and the offset the text
    /// itself carries (`Z`, `+04:00`), if any.
    struct Parsed: Equatable {
        var wallClockMilliseconds: Int64
        var explicitOffsetSeconds: Int?
    }

    /// Used when the year does not come first.
    var order: DateOrder

    init(order: DateOrder = .dayMonthYear) {
        self.order = order
    }

    /// What one value says about the day/month order: nil when the year comes first, or when both the
    /// first and the second number are 12 or less.
    static func orderEvidence(_ bytes: UnsafeBufferPointer<UInt8>) -> DateOrder? {
        var cursor = Cursor(bytes: bytes)
        cursor.skipSpaces()
        guard let (first, firstDigits) = cursor.number(maxDigits: 4), firstDigits <= 2,
            let separator = cursor.oneOf([0x2F, 0x2E, 0x2D]),
            let (second, _) = cursor.number(maxDigits: 2), cursor.byte(separator)
        else { return nil }
        if first > 12, second <= 12 { return .dayMonthYear }
        if second > 12, first <= 12 { return .monthDayYear }
        return nil
    }

    /// Parses one value, or nil when it is not a date-time this parser knows.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var cursor = Cursor(bytes: bytes)
        cursor.skipSpaces()
        guard let (first, firstDigits) = cursor.number(maxDigits: 4),
            let separator = cursor.oneOf([0x2F, 0x2E, 0x2D]),
            let (second, _) = cursor.number(maxDigits: 2), cursor.byte(separator),
            let (third, thirdDigits) = cursor.number(maxDigits: 4)
        else { return nil }
        var year: Int
        var month: Int
        var day: Int
        if firstDigits == 4 {
            guard thirdDigits <= 2 else { return nil }
            (year, month, day) = (first, second, third)
        } else {
            guard firstDigits <= 2, thirdDigits == 4 || thirdDigits == 2 else { return nil }
            year = thirdDigits == 2 ? 2000 + third : third
            (day, month) = order == .dayMonthYear ? (first, second) : (second, first)
        }
        guard month >= 1, month <= 12, day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }

        // Date and time are separated by `T` or spaces.
        guard cursor.byte(0x54) || cursor.byte(0x74) || cursor.skipSpaces() > 0 else { return nil }
        guard let (hourValue, _) = cursor.number(maxDigits: 2), cursor.byte(0x3A),
            let (minute, minuteDigits) = cursor.number(maxDigits: 2), minuteDigits == 2
        else { return nil }
        var hour = hourValue
        var second2 = 0
        var millis = 0
        if cursor.byte(0x3A) {
            guard let (value, digits) = cursor.number(maxDigits: 2), digits == 2 else { return nil }
            second2 = value
            if cursor.byte(0x2E) || cursor.byte(0x2C) {
                var scale = 100
                var count = 0
                while let digit = cursor.digit() {
                    millis += digit * scale
                    scale /= 10
                    count += 1
                }
                guard count > 0, count <= 9 else { return nil }
            }
        }
        // Optional AM/PM.
        cursor.skipSpaces()
        if let meridiem = cursor.meridiem() {
            guard hour >= 1, hour <= 12 else { return nil }
            if meridiem == .am { hour = hour == 12 ? 0 : hour } else { hour = hour == 12 ? 12 : hour + 12 }
            cursor.skipSpaces()
        }
        guard hour <= 23, minute <= 59, second2 <= 60 else { return nil }

        var offset: Int?
        if cursor.byte(0x5A) || cursor.byte(0x7A) {
            offset = 0
        } else if let sign = cursor.oneOf([0x2B, 0x2D]) {
            guard let (hh, hhDigits) = cursor.number(maxDigits: 2), hhDigits == 2 || hhDigits == 1 else { return nil }
            var mm = 0
            _ = cursor.byte(0x3A)
            if let (value, digits) = cursor.number(maxDigits: 2) {
                guard digits == 2 else { return nil }
                mm = value
            }
            guard hh <= 14, mm <= 59 else { return nil }
            offset = (sign == 0x2D ? -1 : 1) * (hh * 3600 + mm * 60)
        }
        cursor.skipSpaces()
        guard cursor.atEnd else { return nil }

        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second2)
        return Parsed(wallClockMilliseconds: seconds * 1000 + Int64(millis), explicitOffsetSeconds: offset)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

private enum Meridiem { case am, pm }

/// A forward-only reader over the bytes of one value.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.count }

    @discardableResult
    mutating func skipSpaces() -> Int {
        let start = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index - start
    }

    mutating func byte(_ value: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == value else { return false }
        index += 1
        return true
    }

    mutating func oneOf(_ values: [UInt8]) -> UInt8? {
        guard index < bytes.count, values.contains(bytes[index]) else { return nil }
        index += 1
        return bytes[index - 1]
    }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
        index += 1
        return Int(bytes[index - 1] - 0x30)
    }

    /// Up to `maxDigits` digits: the value and how many digits were read; nil when none.
    mutating func number(maxDigits: Int) -> (Int, Int)? {
        var value = 0
        var count = 0
        while count < maxDigits, let digit = digit() {
            value = value * 10 + digit
            count += 1
        }
        return count == 0 ? nil : (value, count)
    }

    mutating func meridiem() -> Meridiem? {
        guard index + 1 < bytes.count else { return nil }
        let first = bytes[index] | 0x20
        let second = bytes[index + 1] | 0x20
        guard second == 0x6D, first == 0x61 || first == 0x70 else { return nil }
        index += 2
        return first == 0x61 ? .am : .pm
    }
}
