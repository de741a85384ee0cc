import NIOCore

/// Splits a byte stream into newline-terminated lines as the bytes arrive (NDJSON: one JSON value a line), so a
/// streamed answer is handled line by line however the network cuts it into chunks.
struct NDJSONLineBuffer {
    /// The longest line accepted; a longer one means the peer is not speaking NDJSON.
    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Adds `buffer` and returns the lines it completed (without `\n`, a trailing `\r` removed, blank lines
    /// skipped).
    mutating func append(_ buffer: ByteBuffer) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        buffer.withUnsafeReadableBytes { bytes in
            var start = 0
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                pending.append(contentsOf: bytes[start..<newline])
                if let line = Self.finished(pending) { lines.append(line) }
                pending.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            pending.append(contentsOf: bytes[start...])
        }
        if pending.count > maxLineBytes {
            throw PipsightErrorFactory.badResponse(
                "Ollama sent a line longer than \(maxLineBytes) bytes: this is not an NDJSON stream")
        }
        return lines
    }

    /// The last line when the stream ended without a final newline.
    mutating func finish() -> [UInt8]? {
        defer { pending.removeAll() }
        return Self.finished(pending)
    }

    private static func finished(_ line: [UInt8]) -> [UInt8]? {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard end > 0 else { return nil }
        return end == line.count ? line : Array(line[..<end])
    }
}
