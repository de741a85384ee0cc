import Foundation

/// Converts the literal text of a JSON number (`434.3999999999999`, `-1.5e-3`, `25`) to `Decimal`,
/// `Double` or `Int64`. Money goes straight from the digits to `Decimal`, never through `Double`, so
/// `0.1` stays exactly 0.1 and sums of cents are exact.
enum JSONNumberLiteral {
    /// The exact decimal value of a JSON number literal, or nil when the text is not one (or is
    /// `NaN`/`Infinity`, which `Decimal` cannot hold).
    static func decimal(_ text: String) -> Decimal? {
        var text = text
        if let fast = text.withUTF8({ fastDecimal($0) }) { return fast }
        // Long mantissas and other rare shapes: Foundation's own decimal parser (still no Double).
        guard isNumberSyntax(text) else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The number as a `Double` (`NaN`, `Infinity` and `-Infinity` included), or nil.
    static func double(_ text: String) -> Double? {
        Double(text)
    }

    /// The number as an `Int64` when it is integral and in range (`12`, `12.0`, `1.2e1`), else nil.
    static func int64(_ text: String) -> Int64? {
        if let value = Int64(text) { return value }
        guard let decimal = decimal(text), decimal.isFinite else { return nil }
        var rounded = Decimal()
        var source = decimal
        NSDecimalRound(&rounded, &source, 0, .plain)
        guard rounded == decimal else { return nil }
        // Decimal → Int64 without Double: the rounded value's text is an integer literal.
        return Int64(rounded.description)
    }

    /// Up to 18 significant digits (fits a UInt64 exactly) with an optional fraction and exponent.
    private static func fastDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
            if mantissa != 0 { digits += 1 }
            sawDigit = true
            index += 1
        }
        guard sawDigit else { return nil }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var sawFraction = false
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                if mantissa != 0 { digits += 1 }
                exponent -= 1
                sawFraction = true
                index += 1
            }
            guard sawFraction else { return nil }
        }
        guard digits <= 18 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponent = false
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard value < 10_000 else { return nil }
                sawExponent = true
                index += 1
            }
            guard sawExponent else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == count, exponent > -120, exponent < 120 else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
    }

    /// Strict JSON number grammar (used before handing text to `Decimal(string:)`, which is lenient).
    static func isNumberSyntax(_ text: String) -> Bool {
        var iterator = text.utf8.makeIterator()
        var byte = iterator.next()
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 &- UInt8(ascii: "0") < 10 } ?? false }
        if byte == UInt8(ascii: "-") { byte = iterator.next() }
        guard isDigit(byte) else { return false }
        while isDigit(byte) { byte = iterator.next() }
        if byte == UInt8(ascii: ".") {
            byte = iterator.next()
            guard isDigit(byte) else { return false }
            while isDigit(byte) { byte = iterator.next() }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            byte = iterator.next()
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = iterator.next() }
            guard isDigit(byte) else { return false }
            while isDigit(byte) { byte = iterator.next() }
        }
        return byte == nil
    }
}
