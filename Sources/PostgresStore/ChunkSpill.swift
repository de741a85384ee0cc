import Foundation
import NIOCore
import PipsightCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chunks of bytes an ingest writes while its largest table streams through COPY and stores afterwards, in the
/// same transaction: the encoded `trade_columns` chunks and the COPY text of the other tables (the deals of
/// partial closes, …). The first `memoryLimit` bytes stay in memory (a typical export never leaves it); beyond
/// that every chunk goes to an unlinked temporary file, so a 25-million-trade file holds a chunk or two in
/// memory instead of gigabytes of columns and deals. The file disappears with this object (or the process).
///
/// Written by the parser thread only, then handed over (through `ParsePipeline`'s outcome) and read by the
/// storing task only: never touched by two threads at once.
final class ChunkSpill: @unchecked Sendable {
    /// Where one chunk is: in memory, or at an offset of the file.
    enum Place {
        case memory(ByteBuffer)
        case file(offset: Int, length: Int)
    }

    /// The chunks in order: their row count and where their bytes are (read them with `data(at:)`).
    private(set) var chunks: [(rows: Int, place: Place)] = []

    private let memoryLimit: Int
    private var memoryBytes = 0
    private var fd: Int32 = -1
    private var fileSize = 0

    /// The default bytes kept in memory before chunks go to a file.
    static let defaultMemoryLimit = 16 << 20

    init(memoryLimit: Int = ChunkSpill.defaultMemoryLimit) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if fd >= 0 { close(fd) }
    }


    /// True when some chunk went to the file.
    var usesFile: Bool { fd >= 0 }

    /// Keeps one chunk of `rows` rows (trades of a `trade_columns` chunk; 0 where nobody counts them).
    func append(_ bytes: ByteBuffer, rows: Int = 0) throws {
        if memoryBytes + bytes.readableBytes <= memoryLimit {
            memoryBytes += bytes.readableBytes
            chunks.append((rows, .memory(bytes)))
            return
        }
        if fd < 0 { try openFile() }
        let offset = fileSize
        try bytes.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var written = 0
            while written < raw.count {
                let result = pwrite(fd, base + written, raw.count - written, off_t(offset + written))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw Self.error("cannot write to the ingest's temporary file")
                }
                written += result
            }
        }
        fileSize += bytes.readableBytes
        chunks.append((rows, .file(offset: offset, length: bytes.readableBytes)))
    }

    /// The bytes of one chunk (read back from the file when it went there).
    func data(at place: Place) throws -> ByteBuffer {
        switch place {
        case .memory(let bytes):
            return bytes
        case .file(let offset, let length):
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            _ = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
                guard let base = raw.baseAddress else { return 0 }
                var read = 0
                while read < length {
                    let result = pread(fd, base + read, length - read, off_t(offset + read))
                    if result < 0 {
                        if errno == EINTR { continue }
                        throw Self.error("cannot read back the ingest's temporary file")
                    }
                    if result == 0 { throw Self.error("the ingest's temporary file is shorter than written") }
                    read += result
                }
                return length
            }
            return buffer
        }
    }

    /// Forgets every chunk and gives the file's space back.
    func removeAll() {
        chunks = []
        memoryBytes = 0
        if fd >= 0 {
            _ = ftruncate(fd, 0)
            fileSize = 0
        }
    }

    private func openFile() throws {
        var template = Array((NSTemporaryDirectory() + "/pipsight-ingest-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw Self.error("cannot create a temporary file for the ingest") }
        // Unlinked at once: nothing is left behind, whatever ends the process.
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = unlink(base) }
        }
        fd = descriptor
    }

    private static func error(_ message: String) -> PipsightError {
        PipsightError(.io, "\(message): \(String(cString: strerror(errno))) (set TMPDIR to a folder with space)")
    }
}
