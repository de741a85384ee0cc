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

    mutating func null() {
        separator()
        current.writeStaticString("\\N")
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
        guard let value, !value.isNaN else { return null() }
        separator()
        DecimalText.write(value, into: &current)
    }

    /// Writes `value` like `decimal(_:)` and says what the statistics columns keep of it.
    mutating func amount(_ value: Decimal?) -> StoredAmount {
        guard let value, !value.isNaN else {
            null()
            return .absent
        }
        separator()
        return DecimalText.write(value, into: &current).map(StoredAmount.exact) ?? .inexact
    }

    mutating func integer<I: BinaryInteger>(_ value: I?) {
        guard let value else { return null() }
        separator()
        current.writeString(String(value))
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
        separator()
        TimestampText.write(value, into: &current)
    }

    /// `value` for a `jsonb` column (U+0000 dropped: jsonb refuses it).
    mutating func json(_ value: JSONValue) {
        text(PostgresText.json(value))
    }

    mutating func json(_ value: [String: JSONValue]) {
        text(value.isEmpty ? "{}" : PostgresText.json(.object(value)))
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
