/// The field separator of a delimited text file.
public enum CSVDelimiter: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    /// The byte that separates fields.
    public var byte: UInt8 { rawValue }

    /// The separator as a one-character string.
    public var character: Character { Character(Unicode.Scalar(rawValue)) }

    public var description: String {
        switch self {
        case .comma: return "comma"
        case .semicolon: return "semicolon"
        case .tab: return "tab"
        }
    }

    /// Picks the separator that occurs most often outside double quotes in `line`; nil when none occurs.
    /// Ties prefer tab, then semicolon, then comma (a comma is more likely to be part of a value).
    static func detect<C: Collection>(inHeaderLine line: C) -> CSVDelimiter? where C.Element == UInt8 {
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        for byte in line {
            if byte == 0x22 { inQuotes.toggle(); continue }
            if !inQuotes, byte == 0x2C || byte == 0x3B || byte == 0x09 { counts[byte, default: 0] += 1 }
        }
        var best: CSVDelimiter?
        var bestCount = 0
        for candidate in [CSVDelimiter.tab, .semicolon, .comma] {
            let count = counts[candidate.byte] ?? 0
            if count > bestCount { best = candidate; bestCount = count }
        }
        return best
    }
}

/// The character that separates the integer part of a number from its fraction.
public enum DecimalSeparator: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `1234.56`
    case point = 0x2E
    /// `1234,56`
    case comma = 0x2C

    public var byte: UInt8 { rawValue }

    /// The separator as a one-character string.
    public var character: Character { Character(Unicode.Scalar(rawValue)) }

    public var description: String { self == .point ? "point" : "comma" }
}

/// How a History CSV file is written: what the parser detected or was told.
public struct CSVDialect: Sendable, Hashable {
    public var encoding: TextEncoding
    public var delimiter: CSVDelimiter
    public var decimalSeparator: DecimalSeparator

    public init(encoding: TextEncoding, delimiter: CSVDelimiter, decimalSeparator: DecimalSeparator) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.decimalSeparator = decimalSeparator
    }
}
