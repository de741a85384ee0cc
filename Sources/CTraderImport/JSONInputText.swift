import Foundation
import PipsightCore

/// Prepares the bytes of a JSON (or HTML/XML) export for parsing: strips a UTF-8 byte-order mark,
/// converts UTF-16 (LE or BE, with or without a BOM) to UTF-8, and rejects empty input.
enum JSONInputText {
    /// The text encodings recognised.
    enum Encoding: Equatable {
        case utf8
        case utf16LittleEndian
        case utf16BigEndian
    }

    /// Detects the encoding and the length of its BOM. Without a BOM, UTF-16 is recognised by a zero
    /// byte beside the first (ASCII) character, which every JSON, HTML and XML document starts with.
    static func detect(_ data: Data) throws -> (encoding: Encoding, bomLength: Int) {
        let first = data.prefix(4).map { $0 }
        if first.count >= 4, first[0] == 0xFF, first[1] == 0xFE, first[2] == 0, first[3] == 0 {
            throw PipsightError(.badEncoding, "UTF-32 text is not supported; save the file as UTF-8")
        }
        if first.count >= 3, first[0] == 0xEF, first[1] == 0xBB, first[2] == 0xBF { return (.utf8, 3) }
        if first.count >= 2, first[0] == 0xFF, first[1] == 0xFE { return (.utf16LittleEndian, 2) }
        if first.count >= 2, first[0] == 0xFE, first[1] == 0xFF { return (.utf16BigEndian, 2) }
        if first.count >= 2, first[0] != 0, first[1] == 0 { return (.utf16LittleEndian, 0) }
        if first.count >= 2, first[0] == 0, first[1] != 0 { return (.utf16BigEndian, 0) }
        return (.utf8, 0)
    }

    /// The input as UTF-8 without a BOM. UTF-8 input is returned as a slice (no copy).
    /// Throws `.emptyInput` when nothing but whitespace remains, `.badEncoding` for UTF-32.
    static func utf8Bytes(of input: ImportInput) throws -> Data {
        let data = input.data
        let detected: (encoding: Encoding, bomLength: Int)
        do {
            detected = try detect(data)
        } catch let error as PipsightError {
            throw error.inFile(input.name)
        }
        let utf8: Data
        switch detected.encoding {
        case .utf8:
            utf8 = data.dropFirst(detected.bomLength)
        case .utf16LittleEndian, .utf16BigEndian:
            utf8 = transcodeUTF16(
                data.dropFirst(detected.bomLength), bigEndian: detected.encoding == .utf16BigEndian
            )
        }
        guard utf8.contains(where: { !isWhitespace($0) }) else {
            throw PipsightError(.emptyInput, "the file is empty", location: ErrorLocation(file: input.name))
        }
        return utf8
    }

    /// UTF-16 code units to UTF-8; unpaired surrogates become U+FFFD, an odd trailing byte is dropped.
    static func transcodeUTF16(_ data: Data, bigEndian: Bool) -> Data {
        var units: [UInt16] = []
        units.reserveCapacity(data.count / 2)
        var iterator = data.makeIterator()
        while let first = iterator.next(), let second = iterator.next() {
            units.append(bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first))
        }
        var output = Data()
        output.reserveCapacity(units.count)
        _ = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: false) {
            output.append($0)
        }
        return output
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
