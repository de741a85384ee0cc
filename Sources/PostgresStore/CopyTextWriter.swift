import Analytics
import Foundation
import NIOCore
import PipsightCore

/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes),
/// in chunks of bounded size so a large file never becomes one giant buffer.
struct CopyTextWriter {
    /// A finished chunk is this large or larger.
    static let chunkSize = 1 << 20

    private(set) var chunks: [ByteBuffer] = []
    private var current: ByteBuffer
    private var fieldsInRow = 0
    private(set) var rowCount = 0

    init() {
        current = ByteBufferAllocator().buffer(capacity: Self.chunkSize + 4096)
    }

    /// Hands over the finished chunks (those that reached `chunkSize`), keeping the unfinished one.
    mutating func takeFinishedChunks() -> [ByteBuffer] {
        guard !chunks.isEmpty else { return [] }
        defer { chunks.removeAll(keepingCapacity: true) }
        return chunks
    }

    /// Hands over every chunk, the unfinished one included, leaving the writer empty (row count kept).
    mutating func takeAllChunks() -> [ByteBuffer] {
        let all = allChunks
        chunks.removeAll()
        current = ByteBufferAllocator().buffer(capacity: 0)
        return all
    }

    /// All chunks, the unfinished one included.
    var allChunks: [ByteBuffer] {
        current.readableBytes > 0 ? chunks + [current] : chunks
    }

    private mutating func separator() {
        if fieldsInRow > 0 { current.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    /// Writes one field, its separator included, in a single write into the buffer: `body` fills at most
    /// `maxBytes` bytes and returns how many it wrote, or nil to write nothing (the separator neither).
    @inline(__always)
    private mutating func field(maxBytes: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int?) -> Bool {
        let tab = fieldsInRow > 0
        var wrote = false
        current.writeWithUnsafeMutableBytes(minimumWritableBytes: maxBytes + 1) { out in
            let offset = tab ? 1 : 0
            guard let count = body(UnsafeMutableRawBufferPointer(rebasing: out[offset...])) else { return 0 }
            if tab { out[0] = UInt8(ascii: "\t") }
            wrote = true
            return count + offset
        }
        if wrote { fieldsInRow += 1 }
        return wrote
    }

    mutating func null() {
        _ = field(maxBytes: 2) { out in
            out[0] = UInt8(ascii: "\\")
            out[1] = UInt8(ascii: "N")
            return 2
        }
    }

    mutating func text(_ value: String?) {
        guard let value else { return null() }
        separator()
        var needsEscape = false
        for byte in value.utf8 where byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F {
            needsEscape = true
            break
        }
        if !needsEscape {
            current.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): current.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): current.writeStaticString("\\t")
            case UInt8(ascii: "\n"): current.writeStaticString("\\n")
            case UInt8(ascii: "\r"): current.writeStaticString("\\r")
            case 0x00: break // PostgreSQL text cannot hold NUL; it is dropped.
            case 0x01..<0x20, 0x7F:
                current.writeString(String(format: "\\x%02X", byte))
            default: current.writeInteger(byte)
            }
        }
    }

    mutating func decimal(_ value: Decimal?) {
        _ = amount(value)
    }

    /// Writes `value` like `decimal(_:)` and says what the statistics columns keep of it.
    mutating func amount(_ value: Decimal?) -> StoredAmount {
        guard let value, !value.isNaN else {
            null()
            return .absent
        }
        var scaled: ScaledAmount?
        if field(maxBytes: DecimalText.maxBytes, { out in
            guard let (count, amount) = DecimalText.write(value, to: out) else { return nil }
            scaled = amount
            return count
        }) {
            return scaled.map(StoredAmount.exact) ?? .inexact
        }
        separator()
        return DecimalText.write(value, into: &current).map(StoredAmount.exact) ?? .inexact
    }

    mutating func integer<I: BinaryInteger>(_ value: I?) {
        guard let value else { return null() }
        guard let small = Int64(exactly: value) else {
            separator()
            current.writeString(String(value))
            return
        }
        _ = field(maxBytes: 20) { out in
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            return withUnsafeMutableBytes(of: &scratch) { digits in
                var first = digits.count
                var remaining = small.magnitude
                repeat {
                    first -= 1
                    digits[first] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                    remaining /= 10
                } while remaining > 0
                var at = 0
                if small < 0 {
                    out[at] = UInt8(ascii: "-")
                    at += 1
                }
                for index in first..<digits.count {
                    out[at] = digits[index]
                    at += 1
                }
                return at
            }
        }
    }

    mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        separator()
        current.writeString(String(value))
    }

    mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        separator()
        current.writeStaticString(value ? "t" : "f")
    }

    mutating func timestamp(_ value: Date?) {
        guard let value else { return null() }
        _ = field(maxBytes: TimestampText.maxBytes) { TimestampText.write(value, to: $0) }
    }

    /// `value` for a `jsonb` column (U+0000 dropped: jsonb refuses it).
    mutating func json(_ value: JSONValue) {
        text(PostgresText.json(value))
    }

    mutating func json(_ value: [String: JSONValue]) {
        if value.isEmpty {
            separator()
            current.writeStaticString("{}")
            return
        }
        if writePlainStringObject(value) { return }
        text(PostgresText.json(.object(value)))
    }

    /// Writes an object whose keys and values are all strings that need no escaping, neither in JSON nor in COPY
    /// text (no `"`, `\`, control character or DEL), straight into the buffer: the same text as
    /// `PostgresText.json` and `text(_:)` give, without building it as a `String`. False (nothing written) otherwise.
    private mutating func writePlainStringObject(_ members: [String: JSONValue]) -> Bool {
        for (key, value) in members {
            guard case .string(let string) = value, Self.isPlain(key), Self.isPlain(string) else { return false }
        }
        separator()
        current.writeInteger(UInt8(ascii: "{"))
        let keys = members.count == 1 ? Array(members.keys) : members.keys.sorted()
        for (index, key) in keys.enumerated() {
            guard case .string(let string)? = members[key] else { continue }
            if index > 0 { current.writeInteger(UInt8(ascii: ",")) }
            current.writeInteger(UInt8(ascii: "\""))
            current.writeString(key)
            current.writeStaticString("\":\"")
            current.writeString(string)
            current.writeInteger(UInt8(ascii: "\""))
        }
        current.writeInteger(UInt8(ascii: "}"))
        return true
    }

    private static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0x7F }
    }

    mutating func endRow() {
        current.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowCount += 1
        if current.readableBytes >= Self.chunkSize {
            chunks.append(current)
            current = ByteBufferAllocator().buffer(capacity: Self.chunkSize + 4096)
        }
    }
}

/// A money value as written for COPY, for `TradeColumnsBuilder`: absent (NULL), exact, or not representable
/// as a scaled integer (the columns are then not kept).
enum StoredAmount {
    case absent
    case exact(ScaledAmount)
    case inexact
}
