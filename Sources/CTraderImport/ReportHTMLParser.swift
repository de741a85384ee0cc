import Foundation
import Logging
import PipsightCore

/// Reads a cTrader `report.html`: finds the `<script … id="backtesting-report" …>` element that carries
/// the report JSON and reads that JSON with ``ReportJSONParser``. Attribute order, quoting (double,
/// single or none) and case vary and `type` may be absent. Line numbers in errors are lines of the page.
public struct ReportHTMLParser: ExportParser {
    /// Always `.reportHTML`.
    public var format: ExportFormat { .reportHTML }

    /// The `id` of the script element that holds the report.
    public static let scriptID = "backtesting-report"

    /// Creates a parser; it holds no state, so one value can parse many files, concurrently too.
    public init() {}

    public func parse(
        _ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        try input.limits.checkFile(input)
        let bytes = try JSONInputText.utf8Bytes(of: input)
        let located = try bytes.withUnsafeBytes { raw in
            try Self.locateReport(in: raw.bindMemory(to: UInt8.self), file: input.name)
        }
        let json = Data(bytes.dropFirst(located.start).prefix(located.end - located.start))
        guard json.contains(where: { !JSONInputText.isWhitespace($0) }) else {
            throw PipsightError(
                .emptyInput, "the <script id=\"\(Self.scriptID)\"> element is empty",
                location: ErrorLocation(file: input.name, line: located.line)
            )
        }
        let document = try JSONByteParser.withParser(
            json, file: input.name, lineOffset: located.line - 1, limits: input.limits
        ) {
            try $0.parseDocument()
        }
        return try ReportJSONParser().parse(
            document: document, file: input.name, format: .reportHTML, logger: logger, emit: emit
        )
    }

    /// Byte offsets (relative to the buffer) of the script's content and the line its content starts on.
    static func locateReport(
        in bytes: UnsafeBufferPointer<UInt8>, file: String
    ) throws -> (start: Int, end: Int, line: Int) {
        var index = 0
        var line = 1
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "<"), matches(bytes, at: index + 1, lowercased: "script"),
                  index + 7 < count, isTagNameEnd(bytes[index + 7])
            else {
                index += 1
                continue
            }
            let tagLine = line
            // Read the attributes up to the closing '>', honouring quotes.
            var cursor = index + 7
            var attributes: [String: String] = [:]
            var closed = false
            while cursor < count {
                let current = bytes[cursor]
                if current == 0x0A { line += 1 }
                if current == UInt8(ascii: ">") {
                    closed = true
                    cursor += 1
                    break
                }
                if isSpace(current) || current == UInt8(ascii: "/") {
                    cursor += 1
                    continue
                }
                // Attribute name.
                let nameStart = cursor
                while cursor < count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: "="),
                      bytes[cursor] != UInt8(ascii: ">") {
                    cursor += 1
                }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<cursor]), as: UTF8.self)
                    .lowercased()
                while cursor < count, isSpace(bytes[cursor]) {
                    if bytes[cursor] == 0x0A { line += 1 }
                    cursor += 1
                }
                var value = ""
                if cursor < count, bytes[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < count, isSpace(bytes[cursor]) {
                        if bytes[cursor] == 0x0A { line += 1 }
                        cursor += 1
                    }
                    if cursor < count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                        let quote = bytes[cursor]
                        cursor += 1
                        let valueStart = cursor
                        while cursor < count, bytes[cursor] != quote {
                            if bytes[cursor] == 0x0A { line += 1 }
                            cursor += 1
                        }
                        value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<cursor]), as: UTF8.self)
                        cursor += 1
                    } else {
                        let valueStart = cursor
                        while cursor < count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">") {
                            cursor += 1
                        }
                        value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<cursor]), as: UTF8.self)
                    }
                }
                attributes[name] = value
            }
            guard closed else { break }
            guard attributes["id"]?.trimmingCharacters(in: .whitespaces) == scriptID else {
                // Another script: its content is raw text up to `</script` (it may even quote our tag).
                while cursor < count, !isScriptEnd(bytes, at: cursor) {
                    if bytes[cursor] == 0x0A { line += 1 }
                    cursor += 1
                }
                index = cursor
                continue
            }
            // Content up to `</script`.
            let contentStart = cursor
            let contentLine = line
            while cursor < count {
                if isScriptEnd(bytes, at: cursor) { return (contentStart, cursor, contentLine) }
                cursor += 1
            }
            throw PipsightError(
                .malformedJSON, "the <script id=\"\(scriptID)\"> element is never closed by </script>",
                location: ErrorLocation(file: file, line: tagLine)
            )
        }
        throw PipsightError(
            .missingField,
            "no <script id=\"\(scriptID)\"> element holding the report JSON was found in the page (\(line) lines)",
            location: ErrorLocation(file: file, line: line, field: scriptID)
        )
    }

    /// ASCII case-insensitive match of `word` (lowercase) at `offset`.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, lowercased word: String) -> Bool {
        var position = offset
        for expected in word.utf8 {
            guard position < bytes.count else { return false }
            var byte = bytes[position]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 32 }
            guard byte == expected else { return false }
            position += 1
        }
        return true
    }

    /// True at a `</script` (any case).
    private static func isScriptEnd(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        bytes[offset] == UInt8(ascii: "<") && offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "/")
            && matches(bytes, at: offset + 2, lowercased: "script")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C
    }

    private static func isTagNameEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }
}
