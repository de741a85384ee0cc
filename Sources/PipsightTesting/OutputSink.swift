import CTraderImport
import Foundation

/// Where a sample writer's text goes: memory or a file written in 1 MB chunks, encoded as asked
/// (UTF-8 or UTF-16, with or without BOM).
final class OutputSink {
    private let encoding: TextEncoding
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var firstError: (any Error)?
    private static let chunkSize = 1 << 20

    /// An in-memory sink; the bytes are in `data`.
    init(memoryEncoding encoding: TextEncoding) {
        self.encoding = encoding
        handle = nil
        writeBOM()
    }

    /// A sink that creates (or truncates) `url`.
    init(url: URL, encoding: TextEncoding) throws {
        self.encoding = encoding
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.chunkSize + 4096)
        writeBOM()
    }

    private func writeBOM() {
        switch encoding {
        case .utf8BOM: buffer += [0xEF, 0xBB, 0xBF]
        case .utf16LEBOM: buffer += [0xFF, 0xFE]
        case .utf16BEBOM: buffer += [0xFE, 0xFF]
        case .utf8, .utf16LE, .utf16BE: break
        }
    }

    /// The bytes written so far (memory sinks).
    var data: Data { Data(buffer) }

    func write(_ text: String) {
        switch encoding {
        case .utf8, .utf8BOM:
            buffer.append(contentsOf: text.utf8)
        case .utf16LE, .utf16LEBOM:
            for unit in text.utf16 {
                buffer.append(UInt8(truncatingIfNeeded: unit))
                buffer.append(UInt8(truncatingIfNeeded: unit >> 8))
            }
        case .utf16BE, .utf16BEBOM:
            for unit in text.utf16 {
                buffer.append(UInt8(truncatingIfNeeded: unit >> 8))
                buffer.append(UInt8(truncatingIfNeeded: unit))
            }
        }
        if handle != nil, buffer.count >= Self.chunkSize { flush() }
    }

    private func flush() {
        guard let handle, !buffer.isEmpty, firstError == nil else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            firstError = error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; throws the first write error.
    func finish() throws {
        flush()
        try handle?.close()
        if let firstError { throw firstError }
    }
}
