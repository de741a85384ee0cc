import Foundation

/// Locale-dependent number text (`1234,56`, `1.234,56`, `1 234,56`, `1'234.56`, `-1,234.56`) read exactly as
/// `Decimal`, digit by digit, never through `Double`.
enum LocaleNumber {
    /// Reads `bytes` (UTF-8) as a number whose fraction starts at `decimal`. Group separators may be the other
    /// of `.`/`,`, a space, an apostrophe, U+2019, a no-break space (U+00A0), a thin or narrow no-break
    /// space (U+2009, U+202F); groups after the first must have exactly three digits. A sign may be `-`, `+`,
    /// U+2212 or enclosing parentheses; an exponent (`1E-05`) is accepted. Returns nil for anything else.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, decimal: DecimalSeparator) -> Decimal? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return nil }

        var negative = false
        var parenthesised = false
        if bytes[start] == 0x28, bytes[end - 1] == 0x29 {  // (12.50)
            parenthesised = true
            start += 1
            end -= 1
        }
        if start < end, bytes[start] == 0x2D || bytes[start] == 0x2B {
            negative = bytes[start] == 0x2D
            start += 1
        } else if start + 2 < end, bytes[start] == 0xE2, bytes[start + 1] == 0x88, bytes[start + 2] == 0x92 {
            negative = true
            start += 3
        }
        if parenthesised {
            if negative { return nil }
            negative = true
        }
        guard start < end else { return nil }

        let decimalByte = decimal.byte
        let otherSeparator: UInt8 = decimal == .point ? 0x2C : 0x2E
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digits: [UInt8] = []  // only filled when the mantissa overflows 19 digits
        var overflow = false
        var fractionDigits = 0
        var integerDigits = 0
        var digitsInGroup = 0
        var groupKind: UInt32 = 0  // 0: no grouping seen yet
        var inFraction = false
        var exponent = 0
        var index = start

        @inline(__always) func addDigit(_ digit: UInt8) {
            if overflow {
                digits.append(digit)
            } else if significantDigits < 19 {
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(digit)
            } else {
                overflow = true
                var text: [UInt8] = []
                var value = mantissa
                repeat {
                    text.append(UInt8(value % 10))
                    value /= 10
                } while value > 0
                digits = text.reversed()
                digits.append(digit)
            }
        }

        while index < end {
            let byte = bytes[index]
            if byte >= 0x30, byte <= 0x39 {
                addDigit(byte - 0x30)
                if inFraction { fractionDigits += 1 } else { integerDigits += 1; digitsInGroup += 1 }
                index += 1
                continue
            }
            if !inFraction, byte == decimalByte {
                if groupKind != 0, digitsInGroup != 3 { return nil }
                inFraction = true
                index += 1
                continue
            }
            if byte == 0x65 || byte == 0x45 {  // exponent
                guard integerDigits + fractionDigits > 0 else { return nil }
                if groupKind != 0, !inFraction, digitsInGroup != 3 { return nil }
                var expIndex = index + 1
                var expNegative = false
                if expIndex < end, bytes[expIndex] == 0x2D || bytes[expIndex] == 0x2B {
                    expNegative = bytes[expIndex] == 0x2D
                    expIndex += 1
                }
                guard expIndex < end else { return nil }
                var value = 0
                while expIndex < end {
                    let digit = bytes[expIndex]
                    guard digit >= 0x30, digit <= 0x39, value < 10_000 else { return nil }
                    value = value * 10 + Int(digit - 0x30)
                    expIndex += 1
                }
                exponent = expNegative ? -value : value
                index = end
                break
            }
            // A group separator inside the integer part.
            guard !inFraction else { return nil }
            var kind: UInt32 = 0
            var width = 1
            if byte == otherSeparator || byte == 0x20 || byte == 0x27 {
                kind = UInt32(byte)
            } else if byte == 0xC2, index + 1 < end, bytes[index + 1] == 0xA0 {
                kind = 0xA0
                width = 2
            } else if byte == 0xE2, index + 2 < end, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0xAF || bytes[index + 2] == 0x89 || bytes[index + 2] == 0x99
            {
                kind = 0x2000 | UInt32(bytes[index + 2])
                width = 3
            } else {
                return nil
            }
            if groupKind == 0 {
                guard digitsInGroup >= 1, digitsInGroup <= 3 else { return nil }
                groupKind = kind
            } else {
                guard kind == groupKind, digitsInGroup == 3 else { return nil }
            }
            digitsInGroup = 0
            index += width
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if groupKind != 0, !inFraction, exponent == 0, digitsInGroup != 3 { return nil }
        if inFraction, fractionDigits == 0 { return nil }

        let scale = exponent - fractionDigits
        if overflow {
            guard digits.count <= 38 else { return nil }
            var text = negative ? "-" : ""
            text.reserveCapacity(digits.count + 8)
            for digit in digits { text.unicodeScalars.append(Unicode.Scalar(digit + 0x30)) }
            text += "e\(scale)"
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        }
        guard scale > -128, scale < 127 else { return nil }
        return Decimal(sign: negative && mantissa != 0 ? .minus : .plus, exponent: scale, significand: Decimal(mantissa))
    }

    /// What one value says about the decimal separator of its file, or nil when it is ambiguous
    /// (`1,234` could be either) or not a number.
    static func evidence(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalSeparator? {
        var points = 0
        var commas = 0
        var lastSeparator: UInt8 = 0
        var digitsAfterLast = 0
        var sawDigit = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                sawDigit = true
                digitsAfterLast += 1
            case 0x2E, 0x2C:
                if byte == 0x2E { points += 1 } else { commas += 1 }
                lastSeparator = byte
                digitsAfterLast = 0
            case 0x20, 0x27, 0x2D, 0x2B, 0x28, 0x29, 0x09, 0x80...0xFF:
                continue
            default:
                return nil
            }
        }
        guard sawDigit, points + commas > 0 else { return nil }
        if points > 0, commas > 0 { return lastSeparator == 0x2E ? .point : .comma }
        let count = points + commas
        let separator: DecimalSeparator = points > 0 ? .point : .comma
        let other: DecimalSeparator = separator == .point ? .comma : .point
        if count > 1 { return other }
        return digitsAfterLast == 3 ? nil : separator
    }
}
