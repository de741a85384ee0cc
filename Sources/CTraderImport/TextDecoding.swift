import Foundation
import PipsightCore

/// The text encoding of an export, as detected from its first bytes.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16LEBOM = "utf-16le-bom"
    case utf16BE = "utf-16be"
    case utf16BEBOM = "utf-16be-bom"

    /// Length of the byte-order mark this encoding starts with (0 when none).
    public var bomLength: Int {
        switch self {
        case .utf8, .utf16LE, .utf16BE: return 0
        case .utf8BOM: return 3
        case .utf16LEBOM, .utf16BEBOM: return 2
        }
    }

    /// True for the UTF-16 variants.
    public var isUTF16: Bool { self != .utf8 && self != .utf8BOM }

    public var description: String { rawValue }
}

/// Encoding detection and conversion to UTF-8 bytes, shared by the CSV parser and the format detector.
enum TextDecoding {
    /// Detects the encoding from a byte-order mark, or, without one, from where the zero bytes of
    /// mostly-ASCII UTF-16 text fall in the first 4 KB (odd offsets: little endian; even: big endian).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> TextEncoding {
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return .utf8BOM }
        if count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return .utf16LEBOM }
        if count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return .utf16BEBOM }
        let sample = min(count, 4096) & ~1
        guard sample >= 2 else { return .utf8 }
        var zeroEven = 0
        var zeroOdd = 0
        var index = 0
        while index < sample {
            if bytes[index] == 0 { zeroEven += 1 }
            if bytes[index + 1] == 0 { zeroOdd += 1 }
            index += 2
        }
        let pairs = sample / 2
        if zeroOdd * 10 >= pairs * 4, zeroEven * 20 < pairs { return .utf16LE }
        if zeroEven * 10 >= pairs * 4, zeroOdd * 20 < pairs { return .utf16BE }
        return .utf8
    }

    /// Calls `body` with the text as UTF-8 bytes (without BOM). UTF-8 input is passed through without a
    /// copy; UTF-16 input is transcoded once (unpaired surrogates become U+FFFD).
    static func withUTF8<R>(
        _ data: Data, fileName: String,
        _ body: (TextEncoding, UnsafeBufferPointer<UInt8>) throws -> R
    ) throws -> R {
        try data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            let encoding = detect(all)
            let content = UnsafeBufferPointer(rebasing: all[encoding.bomLength...])
            switch encoding {
            case .utf8, .utf8BOM:
                return try body(encoding, content)
            case .utf16LE, .utf16LEBOM, .utf16BE, .utf16BEBOM:
                if content.count % 2 != 0 {
                    throw PipsightError(
                        .badEncoding, "UTF-16 text with an odd number of bytes (\(content.count))",
                        location: ErrorLocation(file: fileName))
                }
                let utf8 = transcodeUTF16(content, littleEndian: encoding == .utf16LE || encoding == .utf16LEBOM)
                return try utf8.withUnsafeBufferPointer { try body(encoding, $0) }
            }
        }
    }

    /// The first `maxBytes` bytes of `data` as a string (lossy), after BOM and UTF-16 decoding.
    static func prefixString(_ data: Data, maxBytes: Int) -> String {
        data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            let encoding = detect(all)
            let end = min(all.count, encoding.bomLength + (encoding.isUTF16 ? maxBytes * 2 : maxBytes))
            let content = UnsafeBufferPointer(rebasing: all[encoding.bomLength..<end])
            if encoding.isUTF16 {
                let even = UnsafeBufferPointer(rebasing: content[0..<(content.count & ~1)])
                let utf8 = transcodeUTF16(even, littleEndian: encoding == .utf16LE || encoding == .utf16LEBOM)
                return String(decoding: utf8, as: UTF8.self)
            }
            return String(decoding: content, as: UTF8.self)
        }
    }

    /// UTF-16 code units (as bytes) to UTF-8 bytes.
    static func transcodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2 + bytes.count / 8)
        let units = bytes.count / 2
        var index = 0
        @inline(__always) func unit(_ i: Int) -> UInt32 {
            let a = UInt32(bytes[2 * i])
            let b = UInt32(bytes[2 * i + 1])
            return littleEndian ? (a | b << 8) : (a << 8 | b)
        }
        while index < units {
            var scalar = unit(index)
            index += 1
            if scalar >= 0xD800, scalar <= 0xDBFF {
                if index < units {
                    let low = unit(index)
                    if low >= 0xDC00, low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 1
                    } else {
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                scalar = 0xFFFD
            }
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
