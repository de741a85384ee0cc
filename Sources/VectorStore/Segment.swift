import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-byte aligned block of row bytes, owned (allocated) or mapped from a snapshot file.
///
/// `@unchecked Sendable`: the bytes are written only while the owning `Segment` is being built, before the
/// segment is shared; afterwards they are only read. A mapped region is read-only (`PROT_READ`).
final class RowStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    private let mapping: (start: UnsafeMutableRawPointer, length: Int)?

    init(allocating byteCount: Int) {
        self.byteCount = byteCount
        base = .allocate(byteCount: max(byteCount, 64), alignment: 64)
        mapping = nil
    }

    /// Takes ownership of an `mmap`ed region; rows start at `offset`.
    init(mapped start: UnsafeMutableRawPointer, length: Int, offset: Int, byteCount: Int) {
        self.byteCount = byteCount
        base = start + offset
        mapping = (start, length)
    }

    deinit {
        if let mapping {
            munmap(mapping.start, mapping.length)
        } else {
            base.deallocate()
        }
    }
}

/// An immutable block of rows, grouped by backtest id so that each backtest is one contiguous row range.
final class Segment: Sendable {
    let dimension: Int
    let elementType: VectorElementType
    /// Elements per row (dimension padded to a 64-byte multiple).
    let stride: Int
    let count: Int
    let storage: RowStorage
    let ids: [String]
    let metadata: [VectorMetadata]
    /// Squared norms of the stored rows (for L2).
    let norms: [Float]
    /// Kind code per row, and the kind names by code.
    let kindCodes: [Int32]
    let kindNames: [String]
    /// Effective time span per row as seconds since 1970; NaN when the row has no time.
    let spanStart: [Double]
    let spanEnd: [Double]
    /// Row range of every backtest id (rows without a backtest are outside all ranges).
    let backtestRanges: [String: Range<Int>]
    let rowOfId: [String: Int]

    var rowBytes: Int { stride * elementType.byteWidth }

    @inline(__always)
    func rowPointer(_ row: Int) -> UnsafeRawPointer { UnsafeRawPointer(storage.base + row * rowBytes) }

    /// Where each row of a new segment comes from.
    enum Origin {
        case vector([Float])
        case copy(Segment, Int)
    }

    struct Entry {
        var id: String
        var metadata: VectorMetadata
        var origin: Origin
    }

    /// Orders entries by backtest id (rows without one first; stable otherwise).
    static func grouped(_ entries: [Entry]) -> [Entry] {
        let order = entries.indices.sorted { a, b in
            let ka = entries[a].metadata.backtestId, kb = entries[b].metadata.backtestId
            if ka != kb {
                guard let ka else { return true }
                guard let kb else { return false }
                return ka < kb
            }
            return a < b
        }
        return order.map { entries[$0] }
    }

    /// Builds a segment from validated entries (vectors finite and of the right dimension).
    convenience init(dimension: Int, elementType: VectorElementType, entries unordered: [Entry]) {
        let entries = Segment.grouped(unordered)
        let stride = Kernels.stride(dimension: dimension, elementType: elementType)
        let rowBytes = stride * elementType.byteWidth
        let storage = RowStorage(allocating: entries.count * rowBytes)
        var norms = [Float](repeating: 0, count: entries.count)
        for (row, entry) in entries.enumerated() {
            let dst = storage.base + row * rowBytes
            switch entry.origin {
            case .vector(let vector):
                vector.withUnsafeBufferPointer {
                    Kernels.encodeRow($0, elementType: elementType, stride: stride, into: dst)
                }
                norms[row] = -1  // computed below from the stored bytes
            case .copy(let source, let sourceRow):
                dst.copyMemory(from: source.rowPointer(sourceRow), byteCount: rowBytes)
                norms[row] = source.norms[sourceRow]
            }
        }
        self.init(dimension: dimension, elementType: elementType, storage: storage,
                  ids: entries.map(\.id), metadata: entries.map(\.metadata), norms: norms)
    }

    /// Wraps stored rows (already grouped by backtest); norms < 0 are computed. Returns nil when the rows are
    /// not grouped by backtest or ids repeat (only possible for a damaged snapshot file).
    init(dimension: Int, elementType: VectorElementType, storage: RowStorage, ids: [String],
         metadata: [VectorMetadata], norms givenNorms: [Float]?) {
        self.dimension = dimension
        self.elementType = elementType
        self.stride = Kernels.stride(dimension: dimension, elementType: elementType)
        self.count = ids.count
        self.storage = storage
        self.ids = ids
        self.metadata = metadata

        let rowBytes = stride * elementType.byteWidth
        var norms = givenNorms ?? [Float](repeating: -1, count: ids.count)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: stride)
        defer { scratch.deallocate() }
        for row in 0..<norms.count where norms[row] < 0 {
            norms[row] = Kernels.squaredNorm(UnsafeRawPointer(storage.base + row * rowBytes), stride: stride,
                                             elementType: elementType, scratch: scratch)
        }
        self.norms = norms

        var kindTable: [String: Int32] = [:]
        var kindNames: [String] = []
        var kindCodes = [Int32](repeating: 0, count: ids.count)
        var spanStart = [Double](repeating: .nan, count: ids.count)
        var spanEnd = [Double](repeating: .nan, count: ids.count)
        var ranges: [String: Range<Int>] = [:]
        var rowOfId: [String: Int] = [:]
        rowOfId.reserveCapacity(ids.count)
        var groupStart = 0
        for row in 0..<ids.count {
            let meta = metadata[row]
            if let code = kindTable[meta.kind] {
                kindCodes[row] = code
            } else {
                let code = Int32(kindNames.count)
                kindTable[meta.kind] = code
                kindNames.append(meta.kind)
                kindCodes[row] = code
            }
            let start = meta.timeStart ?? meta.timeEnd
            let end = meta.timeEnd ?? meta.timeStart
            if let start, let end {
                spanStart[row] = min(start, end).timeIntervalSince1970
                spanEnd[row] = max(start, end).timeIntervalSince1970
            }
            rowOfId[ids[row]] = row
            if row + 1 == ids.count || metadata[row + 1].backtestId != meta.backtestId {
                if let key = meta.backtestId {
                    ranges[key] = groupStart..<(row + 1)
                }
                groupStart = row + 1
            }
        }
        self.kindCodes = kindCodes
        self.kindNames = kindNames
        self.spanStart = spanStart
        self.spanEnd = spanEnd
        self.backtestRanges = ranges
        self.rowOfId = rowOfId
    }

    /// True when ids are unique and every backtest id forms one contiguous range.
    var isWellFormed: Bool {
        guard rowOfId.count == count else { return false }
        let rowsInRanges = backtestRanges.values.reduce(0) { $0 + $1.count }
        let rowsWithBacktest = metadata.reduce(0) { $0 + ($1.backtestId == nil ? 0 : 1) }
        return rowsInRanges == rowsWithBacktest
    }
}
