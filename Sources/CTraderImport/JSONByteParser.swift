import Foundation
import PipsightCore

/// A small JSON parser over UTF-8 bytes that counts lines as it goes, so every syntax error names its
/// line, and that can walk a top-level array one element at a time (``nextElement()``) without ever
/// holding more than one element's tree. Numbers keep their literal text (see ``JSONNode``).
///
/// Lenient on purpose in two places: bare `NaN`, `Infinity` and `-Infinity` are read as numbers
/// (some .NET writers produce them), and invalid UTF-8 inside strings becomes U+FFFD.
struct JSONByteParser {
    /// Nesting deeper than this is rejected instead of exhausting the stack (``ImportLimits/maxJSONDepth``).
    let maxDepth: Int
    /// Strings and numbers longer than this (in bytes) are rejected (``ImportLimits/maxStringBytes``).
    let maxStringBytes: Int
    /// Elements of one array (the top-level one streamed by ``nextElement()`` too) beyond this are rejected
    /// (``ImportLimits/maxRows``).
    let maxElements: Int

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index: Int
    /// The 1-based line of `index`, counted within the parsed bytes.
    private(set) var line: Int
    /// Added to `line` in errors (the JSON of a report.html starts somewhere inside the page).
    let lineOffset: Int
    let file: String
    /// A JSON path prefix for syntax errors (`[412]` while reading the 413th element); see ``errorPath``.
    var errorPathPrefix: String?
    /// The element being read by ``nextElement()``, whose index leads the path of a syntax error.
    private var currentElement: Int?

    /// The JSON path a syntax error names: `[412]` inside an element, else ``errorPathPrefix``.
    var errorPath: String? {
        if let currentElement { return "[\(currentElement)]" }
        return errorPathPrefix
    }

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int = 0, limits: ImportLimits = .defaults) {
        self.bytes = bytes
        self.maxDepth = limits.maxJSONDepth
        self.maxStringBytes = limits.maxStringBytes
        self.maxElements = limits.maxRows
        self.index = 0
        self.line = 1
        self.lineOffset = lineOffset
        self.file = file
    }

    /// Runs `body` with a parser over the bytes of `data`.
    static func withParser<Result>(
        _ data: Data, file: String, lineOffset: Int = 0, limits: ImportLimits = .defaults,
        _ body: (inout JSONByteParser) throws -> Result
    ) throws -> Result {
        try data.withUnsafeBytes { raw in
            var parser = JSONByteParser(
                bytes: raw.bindMemory(to: UInt8.self), file: file, lineOffset: lineOffset, limits: limits)
            return try body(&parser)
        }
    }

    /// The address of the next unread byte, for releasing the pages already read.
    var readPointer: UnsafeRawPointer? { bytes.baseAddress.map { UnsafeRawPointer($0 + index) } }

    /// The line an error at the current position reports (including `lineOffset`).
    var reportedLine: Int { line + lineOffset }

    // MARK: Whole documents

    /// Parses one complete JSON document (a single value and nothing after it but whitespace).
    mutating func parseDocument() throws -> JSONNode {
        skipWhitespace()
        guard index < bytes.count else { throw error("the input holds no JSON value") }
        let value = try parseValue(depth: 0)
        try expectEnd()
        return value
    }

    /// Fails unless only whitespace remains.
    mutating func expectEnd() throws {
        skipWhitespace()
        if index < bytes.count {
            throw error("unexpected \(describe(bytes[index])) after the end of the JSON value")
        }
    }

    // MARK: Streaming a top-level array

    /// Reads up to and including the `[` that opens a top-level array. Returns false (consuming
    /// nothing) when the first value is not an array; the caller then reports the type found.
    mutating func beginArray() throws -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw error("the input holds no JSON value") }
        guard bytes[index] == UInt8(ascii: "[") else { return false }
        index += 1
        state = .arrayStart
        return true
    }

    private enum ArrayState { case none, arrayStart, afterElement, finished }
    private var state: ArrayState = .none
    /// Elements returned so far by ``nextElement()``.
    private(set) var elementCount = 0

    /// The next element of the array opened by ``beginArray()``, with the line its first byte is on
    /// (offset included); nil after the closing `]`, once only whitespace is left.
    mutating func nextElement() throws -> (value: JSONNode, line: Int)? {
        skipWhitespace()
        switch state {
        case .none, .finished:
            return nil
        case .arrayStart:
            guard index < bytes.count else { throw error("unexpected end of input: the array is not closed") }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                state = .finished
                try expectEnd()
                return nil
            }
        case .afterElement:
            guard index < bytes.count else { throw error("unexpected end of input: the array is not closed") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "]") {
                index += 1
                state = .finished
                try expectEnd()
                return nil
            }
            guard byte == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' after an array element, found \(describe(byte))")
            }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input: the array is not closed") }
            if bytes[index] == UInt8(ascii: "]") { throw error("trailing ',' before ']'") }
        }
        let startLine = reportedLine
        currentElement = elementCount
        guard elementCount < maxElements else { throw elementsError() }
        let value = try parseValue(depth: 1)
        currentElement = nil
        elementCount += 1
        state = .afterElement
        return (value, startLine)
    }

    // MARK: Values

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                line += 1
                index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws -> JSONNode {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input: a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "N"): try expectWord("NaN"); return .number("NaN")
        case UInt8(ascii: "I"): try expectWord("Infinity"); return .number("Infinity")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte: throw error("unexpected \(describe(byte)) where a value was expected")
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONNode {
        guard depth <= maxDepth else { throw depthError() }
        let startLine = reportedLine
        index += 1  // {
        var members: [(key: String, value: JSONNode)] = []
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input inside an object") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members: members, line: startLine))
        }
        members.reserveCapacity(16)
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key, found \(describe(bytes[index]))")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describe(bytes[index]))")
            }
            index += 1
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(JSONObject(members: members, line: startLine))
            case let byte: throw error("expected ',' or '}' in an object, found \(describe(byte))")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONNode {
        guard depth <= maxDepth else { throw depthError() }
        index += 1  // [
        var elements: [JSONNode] = []
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input inside an array") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            guard elements.count < maxElements else { throw elementsError() }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case let byte: throw error("expected ',' or ']' in an array, found \(describe(byte))")
            }
        }
    }

    private mutating func expectWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected -> Bool in
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
            return true
        }
        guard matches else {
            if index + count > bytes.count { throw error("unexpected end of input: a value was expected") }
            throw error("unexpected \(describe(bytes[index])) where a value was expected")
        }
        index += count
    }

    private mutating func parseNumber() throws -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
                try expectWord("Infinity")
                return "-Infinity"
            }
        }
        guard index < bytes.count else { throw error("unexpected end of input inside a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            throw error("invalid number: expected a digit, found \(describe(bytes[index]))")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("invalid number: expected a digit after '.'")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("invalid number: expected a digit in the exponent")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index - start <= maxStringBytes else { throw lengthError("a number", start: start) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func parseString() throws -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard index - start <= maxStringBytes else { throw lengthError("a string", start: start) }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character (\(describe(byte))) inside a string") }
            index += 1
        }
        guard index < bytes.count else { throw error("unexpected end of input inside a string") }
        // Slow path: escapes.
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            guard buffer.count <= maxStringBytes else { throw lengthError("a string", start: start) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard buffer.count <= maxStringBytes else { throw lengthError("a string", start: start) }
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw error("invalid escape '\\\(String(decoding: [escape], as: UTF8.self))' inside a string")
                }
            default:
                if byte < 0x20 { throw error("unescaped control character (\(describe(byte))) inside a string") }
                buffer.append(byte)
                index += 1
            }
        }
        throw error("unexpected end of input inside a string")
    }

    /// Reads the hex digits after `\u` (and a following low surrogate when the first is a high one).
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let first = try readHex4()
        if (0xD800...0xDBFF).contains(first) {
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let second = try readHex4()
                if (0xDC00...0xDFFF).contains(second) {
                    let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(value) ?? "\u{FFFD}"
                }
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private mutating func readHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of input inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape: \(describe(byte)) is not a hex digit")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: Errors

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(String(decoding: [byte], as: UTF8.self))'" }
        if byte == 0x20 { return "a space" }
        if byte == 0x0A { return "a line break" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2))"
    }

    private func elementsError() -> PipsightError {
        PipsightError(
            .limitExceeded,
            "a JSON array with more than \(maxElements) elements (limit \(ImportLimits.variable(for: \.maxRows)))",
            location: ErrorLocation(file: file, line: reportedLine, path: errorPath))
    }

    private func depthError() -> PipsightError {
        PipsightError(
            .limitExceeded,
            "JSON nested deeper than \(maxDepth) levels (limit \(ImportLimits.variable(for: \.maxJSONDepth)))",
            location: ErrorLocation(file: file, line: reportedLine, path: errorPath))
    }

    /// A string or number longer than ``maxStringBytes``, reported at the line where it starts.
    private func lengthError(_ what: String, start: Int) -> PipsightError {
        var startLine = line
        var cursor = index
        while cursor > start {
            cursor -= 1
            if bytes[cursor] == 0x0A { startLine -= 1 }
        }
        return PipsightError(
            .limitExceeded,
            "\(what) longer than \(maxStringBytes) bytes (limit \(ImportLimits.variable(for: \.maxStringBytes)))",
            location: ErrorLocation(file: file, line: startLine + lineOffset, path: errorPath))
    }

    private func error(_ message: String) -> PipsightError {
        PipsightError(
            .malformedJSON, "malformed JSON: \(message)",
            location: ErrorLocation(file: file, line: reportedLine, path: errorPath)
        )
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
