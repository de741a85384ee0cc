import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory, whose already-read pages can be handed back to the kernel.
///
/// Ingest reads an export front to back. With a plain mapping every page read stays resident, so a 1 GB
/// events.json costs 1 GB of RSS. Readers call ``releasePages(before:)`` as they go: the pages before that
/// point are dropped with `madvise(MADV_DONTNEED)`. The mapping is private and never written, so a dropped page
/// that is read again is simply read again from the file; nothing is lost, only memory is saved.
public final class MappedFile: @unchecked Sendable {
    /// The file's bytes, without a copy. Valid as long as this object or a copy of `data` lives.
    public let data: Data
    /// The path it was mapped from.
    public let path: String
    private let base: UnsafeRawPointer?
    private let length: Int
    private let pageSize: Int
    private let lock = NSLock()
    private var released = 0
    private var progressObserver: (@Sendable (_ offset: Int, _ length: Int) -> Void)?

    /// Maps `path` read-only. An empty file maps to empty `data`.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Self.error("cannot open the file", path: path) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Self.error("cannot read the file's size", path: path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw PipsightError(.io, "not a regular file", location: ErrorLocation(file: path))
        }
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        length = Int(status.st_size)
        guard length > 0 else {
            base = nil
            data = Data()
            return
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw Self.error("cannot map the file into memory", path: path)
        }
        base = UnsafeRawPointer(mapped)
        let count = length
        data = Data(bytesNoCopy: mapped, count: count, deallocator: .custom { pointer, _ in munmap(pointer, count) })
    }

    /// Drops the whole pages that lie entirely before `pointer` from this process's memory. A pointer outside
    /// the mapping (a transcoded copy of the bytes, say) is ignored, so readers may call this unconditionally.
    public func releasePages(before pointer: UnsafeRawPointer) {
        guard let base, pointer >= base, pointer <= base + length else { return }
        let end = (base.distance(to: pointer) / pageSize) * pageSize
        let observer: (@Sendable (Int, Int) -> Void)? = lock.withLock {
            // A pointer behind the mark means a new pass over the file (the History CSV parser reads it twice):
            // its pages were read back in, so they are handed back again from the start.
            if end < released { released = 0 }
            guard end > released else { return nil }
            _ = madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, Int32(MADV_DONTNEED))
            released = end
            return progressObserver
        }
        observer?(end, length)
    }

    /// Calls `observer` with how far a reader has got (the offset of the pages just handed back) and the file's
    /// length, from the reading thread, every time pages are handed back (every few thousand records or
    /// megabytes). The offset falls back to 0 when a new pass over the file starts (hashing, then parsing;
    /// the History CSV parser reads twice). For progress reports on large files.
    public func observeProgress(_ observer: @escaping @Sendable (_ offset: Int, _ length: Int) -> Void) {
        lock.withLock { progressObserver = observer }
    }

    /// Bytes handed back so far (page-aligned); for logs and tests.
    public var releasedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return released
    }

    private static func error(_ message: String, path: String) -> PipsightError {
        let reason = String(cString: strerror(errno))
        return PipsightError(.io, "\(message): \(reason)", location: ErrorLocation(file: path))
    }
}
