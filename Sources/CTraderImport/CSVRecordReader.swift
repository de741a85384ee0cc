import PipsightCore

/// Reads RFC 4180 records from UTF-8 bytes: fields separated by one delimiter byte, records ended by
/// LF, CRLF or a lone CR; a field starting with `"` is quoted and may hold delimiters, line breaks and
/// doubled quotes. Unquoted fields are returned in place (no copy); quoted ones are unescaped into a
/// scratch buffer. The fields of a record stay valid until the next call to `next()`.
struct CSVRecordReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let delimiter: UInt8
    private let fileName: String
    /// Most fields of one record (``ImportLimits/maxColumns``).
    private let maxFields: Int
    /// Most bytes of one record, line breaks inside quotes included (``ImportLimits/maxLineBytes``).
    private let maxRecordBytes: Int
    private let limits: ImportLimits
    /// Offset of the next unread byte.
    private(set) var position: Int
    /// Physical line (1-based) of the next unread byte.
    private(set) var nextLine: Int
    /// Physical line on which the current record starts.
    private(set) var recordLine = 0

    /// The address of the next unread byte, for releasing the pages already read.
    var readPointer: UnsafeRawPointer? { bytes.baseAddress.map { UnsafeRawPointer($0 + position) } }

    /// Where each field of the current record lies: in `bytes`, or in `scratch` when it was quoted.
    private var spans: [FieldSpan] = []
    private var scratch = ScratchBuffer()

    private struct FieldSpan {
        var start: Int
        var count: Int
        var quoted: Bool
    }

    init(
        bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, fileName: String, position: Int = 0, line: Int = 1,
        limits: ImportLimits = .defaults
    ) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.fileName = fileName
        self.limits = limits
        self.maxFields = limits.maxColumns
        self.maxRecordBytes = limits.maxLineBytes
        self.position = position
        self.nextLine = line
        spans.reserveCapacity(32)
    }

    /// Number of fields of the current record.
    var fieldCount: Int { spans.count }

    /// The bytes of field `index` of the current record (empty when the record has fewer fields).
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index >= 0, index < spans.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        let span = spans[index]
        if span.quoted { return scratch.view(start: span.start, count: span.count) }
        guard let base = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + span.start, count: span.count)
    }

    /// True when every field of the current record is empty (a blank line, or `;;;;`).
    var isBlank: Bool { !spans.contains { $0.count != 0 } }

    /// Reads the next record; false at the end of the input.
    mutating func next() throws -> Bool {
        guard position < bytes.count else { return false }
        spans.removeAll(keepingCapacity: true)
        scratch.reset()
        recordLine = nextLine
        let end = bytes.count
        var index = position
        while true {
            // One field.
            if index < end, bytes[index] == 0x22 {
                let scratchStart = scratch.count
                index += 1
                var closed = false
                while index < end {
                    if scratch.count > maxRecordBytes { throw tooLong() }
                    let byte = bytes[index]
                    if byte == 0x22 {
                        if index + 1 < end, bytes[index + 1] == 0x22 {
                            scratch.append(0x22)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == 0x0A || (byte == 0x0D && !(index + 1 < end && bytes[index + 1] == 0x0A)) {
                        nextLine += 1
                    }
                    scratch.append(byte)
                    index += 1
                }
                guard closed else {
                    throw PipsightError(
                        .malformedCSV, "a quoted field is never closed (missing \")",
                        location: ErrorLocation(file: fileName, line: recordLine))
                }
                // Lenient: text after the closing quote up to the delimiter is kept.
                while index < end {
                    let byte = bytes[index]
                    if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                    scratch.append(byte)
                    index += 1
                }
                spans.append(FieldSpan(start: scratchStart, count: scratch.count - scratchStart, quoted: true))
            } else {
                let fieldStart = index
                while index < end {
                    let byte = bytes[index]
                    if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                    index += 1
                }
                spans.append(FieldSpan(start: fieldStart, count: index - fieldStart, quoted: false))
            }
            if index - position > maxRecordBytes || scratch.count > maxRecordBytes { throw tooLong() }
            if spans.count > maxFields {
                throw limits.exceeded(
                    \.maxColumns, "the record has more fields than", location: ErrorLocation(file: fileName, line: recordLine))
            }
            // What ends the field.
            if index >= end {
                position = end
                return true
            }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                if index >= end {  // a trailing delimiter at the very end: one more empty field
                    spans.append(FieldSpan(start: index, count: 0, quoted: false))
                    if spans.count > maxFields {
                        throw limits.exceeded(
                            \.maxColumns, "the record has more fields than",
                            location: ErrorLocation(file: fileName, line: recordLine))
                    }
                    position = end
                    return true
                }
                continue
            }
            // Line break.
            index += (byte == 0x0D && index + 1 < end && bytes[index + 1] == 0x0A) ? 2 : 1
            nextLine += 1
            position = index
            return true
        }
    }
}

extension CSVRecordReader {
    private func tooLong() -> PipsightError {
        limits.exceeded(
            \.maxLineBytes, "the record is longer (in bytes) than", location: ErrorLocation(file: fileName, line: recordLine))
    }
}

/// A growable byte buffer whose storage is reused between records. A class that owns its memory, so the
/// views handed out stay valid until the next `reset()` or growth.
private final class ScratchBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    func reset() { count = 0 }

    func append(_ byte: UInt8) {
        if count == capacity {
            let newCapacity = capacity * 2
            let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newStorage.update(from: storage, count: count)
            storage.deallocate()
            storage = newStorage
            capacity = newCapacity
        }
        storage[count] = byte
        count += 1
    }

    func view(start: Int, count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + start, count: count)
    }
}
