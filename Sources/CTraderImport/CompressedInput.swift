import Foundation

/// Recognises compressed files by their magic bytes, so that they are rejected with a clear message:
/// Pipsight never decompresses implicitly (a small archive can expand to any size).
enum CompressedInput {
    private static let signatures: [(name: String, magic: [UInt8])] = [
        ("gzip", [0x1F, 0x8B]),
        ("ZIP", [0x50, 0x4B, 0x03, 0x04]),
        ("ZIP", [0x50, 0x4B, 0x05, 0x06]),
        ("bzip2", [0x42, 0x5A, 0x68]),
        ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
        ("zstd", [0x28, 0xB5, 0x2F, 0xFD]),
        ("7-Zip", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
        ("RAR", [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]),
    ]

    /// The archive format `data` starts with, or nil.
    static func kind(of data: Data) -> String? {
        let head = Array(data.prefix(8))
        return signatures.first { head.starts(with: $0.magic) }?.name
    }
}
