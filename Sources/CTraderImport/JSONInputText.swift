import Foundation
import PipsightCore

/// Prepares the bytes of a JSON (or HTML/XML) export for parsing: strips a UTF-8 byte-order mark, converts
/// UTF-16 (LE or BE, with or without a BOM) to UTF-8, rejects UTF-32 and empty input. Encoding detection and
/// transcoding are `TextDecoding`'s, shared with the CSV reader.
enum JSONInputText {
    /// The input as UTF-8 without a BOM. UTF-8 input is returned as a slice (no copy).
    /// Throws `.emptyInput` when nothing but whitespace remains, `.badEncoding` for UTF-32.
    static func utf8Bytes(of input: ImportInput) throws -> Data {
        let data = input.data
        let first = data.prefix(4).map { $0 }
        if first.count >= 4, first[0] == 0xFF, first[1] == 0xFE, first[2] == 0, first[3] == 0 {
            throw PipsightError(
                .badEncoding, "UTF-32 text is not supported; save the file as UTF-8", location: ErrorLocation(file: input.name))
        }
        let utf8: Data = data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            let encoding = TextDecoding.detect(all)
            guard encoding.isUTF16 else { return data.dropFirst(encoding.bomLength) }
            let content = UnsafeBufferPointer(rebasing: all[encoding.bomLength...])
            return Data(TextDecoding.transcodeUTF16(content, littleEndian: encoding == .utf16LE || encoding == .utf16LEBOM))
        }
        guard utf8.contains(where: { !isWhitespace($0) }) else {
            throw PipsightError(.emptyInput, "the file is empty", location: ErrorLocation(file: input.name))
        }
        return utf8
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
