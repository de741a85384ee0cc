import Foundation
import PipsightCore

/// Tells which cTrader export a file is, by its content, never by its name.
///
/// The first 8 KB are sniffed after BOM and UTF-16 decoding:
/// - `<script … id="backtesting-report">` → `.reportHTML` (an HTML page is searched whole for the script);
/// - XML with a `<cbotset>` element → `.cbotset`;
/// - a JSON array whose first element has `positionId` or `event` → `.eventsJSON`;
/// - a JSON object, by its top-level keys: `tradeStatistics`, or `main` + `history` → `.reportJSON`;
///   `backtestingSettings`, or `results` holding `passes` → `.optres`; `Parameters`/`parameters`
///   without `history` → `.cbotset`;
/// - text whose header line (among the first 20 non-blank lines) names at least two of
///   Opening Time, Closing Time, Opening Direction, Closing Direction → `.historyCSV`.
///
/// Anything else is `PipsightError` `.unknownFormat`; an empty or all-whitespace file is `.emptyInput`.
public struct FormatDetector: Sendable {
    /// How many leading bytes are sniffed.
    public var sniffBytes: Int

    public init(sniffBytes: Int = 8192) {
        self.sniffBytes = sniffBytes
    }

    /// The format of `input`, from its content.
    public func detect(_ input: ImportInput) throws -> ExportFormat {
        let location = ErrorLocation(file: input.name)
        guard !input.data.isEmpty else { throw PipsightError(.emptyInput, "the file is empty", location: location) }
        if let archive = CompressedInput.kind(of: input.data) {
            throw PipsightError(
                .unknownFormat,
                "this is a \(archive) archive; Pipsight does not decompress files: extract the export and import that",
                location: location)
        }
        let prefix = TextDecoding.prefixString(input.data, maxBytes: sniffBytes)
        let text = prefix.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard let first = text.first else {
            if input.data.count <= sniffBytes * 2 {
                throw PipsightError(.emptyInput, "the file holds only white space", location: location)
            }
            throw unknown(text, location)
        }
        let lower = text.lowercased()
        switch first {
        case "<":
            if lower.contains("backtesting-report"), lower.contains("<script") { return .reportHTML }
            if lower.hasPrefix("<?xml") || lower.hasPrefix("<cbotset") {
                if lower.contains("<cbotset") { return .cbotset }
                throw PipsightError(.unknownFormat, "not a cTrader export I know: XML without a <cbotset> element", location: location)
            }
            if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head")
                || lower.hasPrefix("<script") || lower.hasPrefix("<!--")
            {
                let found = try TextDecoding.withUTF8(input.data, fileName: input.name) { _, bytes in
                    Self.contains(bytes, Array("backtesting-report".utf8))
                }
                if found { return .reportHTML }
                throw PipsightError(
                    .unknownFormat, "not a cTrader export I know: an HTML page without the backtesting-report script",
                    location: location)
            }
            throw unknown(text, location)
        case "[":
            let afterBracket = text.dropFirst().drop { $0.isWhitespace }
            if afterBracket.first == "]" {
                throw PipsightError(.unknownFormat, "not a cTrader export I know: an empty JSON array", location: location)
            }
            if afterBracket.first == "{", Self.hasKey(lower, "positionid") || Self.hasKey(lower, "event") {
                return .eventsJSON
            }
            throw PipsightError(
                .unknownFormat, "not a cTrader export I know: a JSON array whose elements have no positionId or event",
                location: location)
        case "{":
            let keys = try TextDecoding.withUTF8(input.data, fileName: input.name) { _, bytes in
                JSONTopLevelKeys(bytes)
            }
            if keys.topLevel.contains("tradeStatistics") || (keys.topLevel.contains("main") && keys.topLevel.contains("history")) {
                return .reportJSON
            }
            if keys.topLevel.contains("backtestingSettings")
                || (keys.topLevel.contains("results") && keys.nested.contains("passes"))
            {
                return .optres
            }
            if (keys.topLevel.contains("Parameters") || keys.topLevel.contains("parameters")),
                !keys.topLevel.contains("history")
            {
                return .cbotset
            }
            let listed = keys.topLevel.sorted().prefix(8).joined(separator: ", ")
            throw PipsightError(
                .unknownFormat,
                "not a cTrader export I know: a JSON object with keys \(listed.isEmpty ? "(none)" : listed)",
                location: location)
        default:
            if Self.looksLikeHistoryCSV(String(text)) { return .historyCSV }
            throw unknown(text, location)
        }
    }

    /// The parser for `format`.
    public static func parser(for format: ExportFormat) -> any ExportParser {
        switch format {
        case .reportJSON: return ReportJSONParser()
        case .reportHTML: return ReportHTMLParser()
        case .eventsJSON: return EventsJSONParser()
        case .optres: return OptresParser()
        case .historyCSV: return HistoryCSVParser()
        case .cbotset: return CBotSetParser()
        }
    }

    // MARK: - Helpers

    private func unknown(_ text: Substring, _ location: ErrorLocation) -> PipsightError {
        var shown = ""
        for character in text.prefix(40) {
            if character != "\u{FFFD}",
                character.isLetter || character.isNumber || character.isPunctuation || character.isSymbol || character == " "
            {
                shown.append(character)
            } else {
                shown.append("·")
            }
        }
        return PipsightError(
            .unknownFormat, "not a cTrader export I know: it starts with \"\(shown)\"", location: location)
    }

    /// True when `"key"` followed by `:` occurs (case-insensitive: `text` is lowercased, `key` too).
    private static func hasKey(_ text: String, _ key: String) -> Bool {
        var rest = Substring(text)
        let needle = "\"\(key)\""
        while let range = rest.range(of: needle) {
            let after = rest[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
            if after.first == ":" { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// A header line naming at least two of the opening/closing time/direction columns.
    static func looksLikeHistoryCSV(_ text: String) -> Bool {
        var checked = 0
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard checked < 20 else { break }
            let bytes = Array(line.utf8)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            checked += 1
            guard let delimiter = CSVDelimiter.detect(inHeaderLine: bytes) else { continue }
            let columns: Set<HistoryColumn> = bytes.withUnsafeBufferPointer { buffer in
                var reader = CSVRecordReader(bytes: buffer, delimiter: delimiter.byte, fileName: "")
                var found = Set<HistoryColumn>()
                guard (try? reader.next()) == true else { return found }
                for index in 0..<reader.fieldCount {
                    if let column = HistoryHeaderField(String(decoding: reader.field(index), as: UTF8.self)).column {
                        found.insert(column)
                    }
                }
                return found
            }
            let marks: Set<HistoryColumn> = [.openingTime, .closingTime, .openingDirection, .closingDirection]
            if columns.intersection(marks).count >= 2 { return true }
        }
        return false
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}

/// The keys of a JSON object at depth 1 and depth 2, found by one pass over the bytes without building
/// the document (tolerant: malformed JSON just yields fewer keys).
private struct JSONTopLevelKeys {
    var topLevel = Set<String>()
    var nested = Set<String>()

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var depth = 0
        var index = 0
        var expectKey = false
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            switch byte {
            case 0x7B:  // {
                depth += 1
                expectKey = true
            case 0x5B:  // [
                depth += 1
                expectKey = false
            case 0x7D, 0x5D:  // } ]
                depth -= 1
                expectKey = false
                if depth <= 0 { return }
            case 0x2C:  // ,
                expectKey = true
            case 0x3A:  // :
                expectKey = false
            case 0x22:  // string
                let start = index + 1
                index += 1
                while index < end, bytes[index] != 0x22 {
                    index += bytes[index] == 0x5C ? 2 : 1
                }
                if expectKey, depth == 1 || depth == 2, index <= end {
                    let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(index, end)]), as: UTF8.self)
                    if depth == 1 { topLevel.insert(key) } else { nested.insert(key) }
                }
                expectKey = false
            default:
                break
            }
            index += 1
        }
    }
}
