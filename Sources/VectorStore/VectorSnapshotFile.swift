import Foundation
import PipsightCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local snapshot file of a vector index: a cache of PostgreSQL, checked before use and never trusted blindly.
///
/// Layout (little-endian), version 1:
/// ```
/// 0   8  magic "PIPSVEC\0"
/// 8   4  format version (1)
/// 12  4  element type (0 float32, 1 float16)
/// 16  4  dimension
/// 20  4  row stride in elements (dimension padded to a multiple of 64 bytes)
/// 24  8  row count
/// 32  8  source version (the row source's version when written)
/// 40  8  matrix offset (128; a multiple of 64, so mapped rows are 64-byte aligned)
/// 48  8  matrix byte count (rows × stride × element size)
/// 56  8  metadata offset (matrix offset + matrix bytes)
/// 64  8  metadata byte count
/// 72  4  CRC-32 of everything from the matrix offset to the end of the file
/// 76  4  CRC-32 of header bytes 0..<76
/// 80  48 zero
/// 128    matrix: rows grouped by backtest id, zero padding after `dimension` elements
///        metadata, per row: id, backtest id, kind as (u32 byte length, UTF-8; length 0xFFFFFFFF = nil),
///        time start, time end as f64 seconds since 1970 (NaN = nil)
/// ```
/// The file is mapped (`mmap`, read-only) and the rows are used in place; it is replaced atomically on save.
public enum VectorSnapshotFile {
    static let magic: [UInt8] = Array("PIPSVEC\0".utf8)
    public static let formatVersion: UInt32 = 1
    static let headerSize = 128

    /// A snapshot file's contents.
    struct Contents {
        var segment: Segment
        var sourceVersion: UInt64
    }

    // MARK: Write

    public static func write(_ snapshot: VectorIndexSnapshot, sourceVersion: UInt64, to url: URL) throws {
        // One segment without deleted rows, grouped by backtest.
        let segment: Segment
        if snapshot.segments.count == 1, snapshot.tombstones[0].dead == 0 {
            segment = snapshot.segments[0]
        } else {
            var entries: [Segment.Entry] = []
            entries.reserveCapacity(snapshot.count)
            for (s, part) in snapshot.segments.enumerated() {
                for row in 0..<part.count where !snapshot.tombstones[s].isDead(row) {
                    entries.append(Segment.Entry(id: part.ids[row], metadata: part.metadata[row], origin: .copy(part, row)))
                }
            }
            segment = Segment(dimension: snapshot.dimension, elementType: snapshot.elementType, entries: entries)
        }

        var meta = ByteWriter()
        for row in 0..<segment.count {
            let m = segment.metadata[row]
            meta.string(segment.ids[row])
            meta.string(m.backtestId)
            meta.string(m.kind)
            meta.f64(m.timeStart?.timeIntervalSince1970 ?? .nan)
            meta.f64(m.timeEnd?.timeIntervalSince1970 ?? .nan)
        }
        let matrixBytes = segment.count * segment.rowBytes
        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(start: segment.storage.base, count: matrixBytes))
        crc.update(meta.bytes)

        var header = ByteWriter()
        header.raw(magic)
        header.u32(formatVersion)
        header.u32(snapshot.elementType.fileCode)
        header.u32(UInt32(snapshot.dimension))
        header.u32(UInt32(segment.stride))
        header.u64(UInt64(segment.count))
        header.u64(sourceVersion)
        header.u64(UInt64(headerSize))
        header.u64(UInt64(matrixBytes))
        header.u64(UInt64(headerSize + matrixBytes))
        header.u64(UInt64(meta.bytes.count))
        header.u32(crc.value)
        header.u32(CRC32.checksum(header.bytes))
        header.raw([UInt8](repeating: 0, count: headerSize - header.bytes.count))

        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw PipsightError(.io, "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: header.bytes)
            if matrixBytes > 0 {
                try handle.write(contentsOf: Data(bytesNoCopy: segment.storage.base, count: matrixBytes, deallocator: .none))
            }
            try handle.write(contentsOf: meta.bytes)
            try handle.synchronize()
            guard rename(temporary.path, url.path) == 0 else {
                throw PipsightError(.io, "cannot rename \(temporary.path) to \(url.path): errno \(errno)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        withExtendedLifetime(segment) {}
    }

    // MARK: Read

    /// Maps and validates a snapshot file; throws `.corruptSnapshot` for any inconsistency.
    static func read(from url: URL, dimension: Int, elementType: VectorElementType) throws -> Contents {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw PipsightError(.io, "cannot open \(url.path): errno \(errno)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PipsightError(.io, "cannot stat \(url.path)") }
        let length = Int(info.st_size)
        guard length >= headerSize else {
            throw corrupt("file is \(length) bytes, shorter than the \(headerSize)-byte header")
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0),
              mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw PipsightError(.io, "cannot map \(url.path): errno \(errno)")
        }
        var storage: RowStorage?
        defer { if storage == nil { munmap(mapped, length) } }
        let file = UnsafeRawBufferPointer(start: mapped, count: length)

        var header = ByteReader(UnsafeRawBufferPointer(rebasing: file[0..<headerSize]))
        guard try header.raw(8) == magic else { throw corrupt("bad magic") }
        let version = try header.u32()
        guard version == formatVersion else { throw corrupt("format version \(version), expected \(formatVersion)") }
        let typeCode = try header.u32()
        let fileDimension = Int(try header.u32())
        let stride = Int(try header.u32())
        let rowCount = try header.u64()
        let sourceVersion = try header.u64()
        let matrixOffset = try header.u64()
        let matrixBytes = try header.u64()
        let metadataOffset = try header.u64()
        let metadataBytes = try header.u64()
        let payloadCRC = try header.u32()
        let headerCRC = try header.u32()
        var check = CRC32()
        check.update(UnsafeRawBufferPointer(rebasing: file[0..<76]))
        guard check.value == headerCRC else { throw corrupt("header checksum mismatch") }
        guard let fileType = VectorElementType(fileCode: typeCode) else { throw corrupt("unknown element type \(typeCode)") }
        guard fileType == elementType else { throw corrupt("element type \(fileType.rawValue), expected \(elementType.rawValue)") }
        guard fileDimension == dimension else { throw corrupt("dimension \(fileDimension), expected \(dimension)") }
        guard stride == Kernels.stride(dimension: dimension, elementType: elementType) else { throw corrupt("bad row stride \(stride)") }
        let rowBytes = UInt64(stride * elementType.byteWidth)
        guard rowCount < UInt64(Int32.max),
              matrixOffset == UInt64(headerSize),
              matrixBytes == rowCount * rowBytes,
              metadataOffset == matrixOffset + matrixBytes,
              metadataOffset + metadataBytes == UInt64(length) else {
            throw corrupt("sizes do not add up (file \(length) bytes, \(rowCount) rows): truncated or damaged")
        }
        var payload = CRC32()
        payload.update(UnsafeRawBufferPointer(rebasing: file[Int(matrixOffset)..<length]))
        guard payload.value == payloadCRC else { throw corrupt("payload checksum mismatch") }

        let count = Int(rowCount)
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: file[Int(metadataOffset)..<length]))
        var ids: [String] = []
        var metadata: [VectorMetadata] = []
        ids.reserveCapacity(count)
        metadata.reserveCapacity(count)
        for _ in 0..<count {
            guard let id = try reader.string() else { throw corrupt("a row has no id") }
            let backtestId = try reader.string()
            guard let kind = try reader.string() else { throw corrupt("row \(id) has no kind") }
            let start = try reader.f64()
            let end = try reader.f64()
            ids.append(id)
            metadata.append(VectorMetadata(
                backtestId: backtestId, kind: kind,
                timeStart: start.isNaN ? nil : Date(timeIntervalSince1970: start),
                timeEnd: end.isNaN ? nil : Date(timeIntervalSince1970: end)))
        }
        guard reader.offset == reader.buffer.count else { throw corrupt("metadata has trailing bytes") }
        // From here the storage owns the mapping (unmapped when the segment goes away).
        let rows = RowStorage(mapped: mapped, length: length, offset: Int(matrixOffset), byteCount: Int(matrixBytes))
        storage = rows
        let segment = Segment(dimension: dimension, elementType: elementType, storage: rows, ids: ids,
                              metadata: metadata, norms: nil)
        guard segment.isWellFormed else { throw corrupt("ids repeat or rows are not grouped by backtest") }
        return Contents(segment: segment, sourceVersion: sourceVersion)
    }

    static func corrupt(_ message: String) -> PipsightError {
        PipsightError(.corruptSnapshot, "vector snapshot file: \(message)")
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String?) {
        guard let s else { u32(UInt32.max); return }
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        raw(utf8)
    }
}

struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, buffer.count - offset >= n else { throw VectorSnapshotFile.corrupt("metadata is truncated") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + n)])
    }
    mutating func raw(_ n: Int) throws -> [UInt8] { Array(try take(n)) }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    /// A string, or nil for the nil marker.
    mutating func string() throws -> String? {
        let length = try u32()
        if length == UInt32.max { return nil }
        let bytes = try take(Int(length))
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw VectorSnapshotFile.corrupt("metadata holds invalid UTF-8")
        }
        return text
    }
}
