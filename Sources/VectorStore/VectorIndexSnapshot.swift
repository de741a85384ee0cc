import Foundation
import PipsightCore

/// Deleted rows of one segment, one bit per row.
struct Tombstones: Sendable, Hashable {
    private(set) var words: [UInt64]
    private(set) var dead: Int = 0

    init(rows: Int) { words = [UInt64](repeating: 0, count: (rows + 63) / 64) }

    @inline(__always)
    func isDead(_ row: Int) -> Bool { words[row &>> 6] & (1 &<< UInt64(row & 63)) != 0 }

    mutating func kill(_ row: Int) {
        guard !isDead(row) else { return }
        words[row &>> 6] |= 1 &<< UInt64(row & 63)
        dead += 1
    }
}

/// A stored row's place: segment and row within it.
struct RowRef: Sendable, Hashable {
    var segment: Int32
    var row: Int32
}

/// An immutable view of the index that any number of readers can search concurrently.
///
/// The writer (`VectorIndex`) never changes a published snapshot; it publishes a new one that shares the
/// unchanged segments. Searching is synchronous and uses up to `threads` threads for one call.
public final class VectorIndexSnapshot: Sendable {
    public let dimension: Int
    public let elementType: VectorElementType
    /// Increases with every publication.
    public let generation: UInt64
    /// Live rows (stored minus deleted).
    public let count: Int
    /// Default threads per search.
    public let searchThreads: Int
    let segments: [Segment]
    let tombstones: [Tombstones]

    init(dimension: Int, elementType: VectorElementType, generation: UInt64, segments: [Segment],
         tombstones: [Tombstones], searchThreads: Int) {
        self.dimension = dimension
        self.elementType = elementType
        self.generation = generation
        self.segments = segments
        self.tombstones = tombstones
        self.searchThreads = searchThreads
        var live = 0
        for (i, segment) in segments.enumerated() { live += segment.count - tombstones[i].dead }
        self.count = live
    }

    /// An empty snapshot.
    public convenience init(dimension: Int, elementType: VectorElementType = .float32) {
        self.init(dimension: dimension, elementType: elementType, generation: 0, segments: [], tombstones: [],
                  searchThreads: 1)
    }

    /// Bytes of vector storage (including padding and deleted rows not yet compacted).
    public var storedBytes: Int { segments.reduce(0) { $0 + $1.storage.byteCount } }

    /// Segments and stored rows, for diagnostics.
    public var segmentCount: Int { segments.count }

    func locate(_ id: String) -> RowRef? {
        for s in segments.indices.reversed() {
            if let row = segments[s].rowOfId[id], !tombstones[s].isDead(row) {
                return RowRef(segment: Int32(s), row: Int32(row))
            }
        }
        return nil
    }

    public func contains(id: String) -> Bool { locate(id) != nil }

    public func metadata(for id: String) -> VectorMetadata? {
        locate(id).map { segments[Int($0.segment)].metadata[Int($0.row)] }
    }

    /// The stored vector (after float16 rounding when stored as float16).
    public func vector(for id: String) -> [Float]? {
        guard let ref = locate(id) else { return nil }
        let segment = segments[Int(ref.segment)]
        return Kernels.decodeRow(segment.rowPointer(Int(ref.row)), dimension: dimension, elementType: elementType)
    }

    /// Every live id, in storage order.
    public var ids: [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for (s, segment) in segments.enumerated() {
            for row in 0..<segment.count where !tombstones[s].isDead(row) { out.append(segment.ids[row]) }
        }
        return out
    }

    // MARK: - Validation

    func validate(query: [Float]) throws {
        guard query.count == dimension else {
            throw PipsightError(.dimensionMismatch,
                                "query has \(query.count) dimensions, the index has \(dimension)")
        }
        guard query.allSatisfy(\.isFinite) else {
            throw PipsightError(.nonFiniteVector, "query vector contains NaN or infinity")
        }
    }

    func validate(k: Int) throws {
        guard k > 0 else { throw PipsightError(.invalidK, "k must be at least 1, got \(k)") }
        guard count > 0 else { throw PipsightError(.emptyIndex, "the vector index is empty") }
    }

    // MARK: - Planning

    struct Piece {
        var segment: Int
        var range: Range<Int>
    }

    /// Row ranges to visit: per-backtest ranges when the filter names backtests, otherwise whole segments.
    func plan(_ filter: VectorSearchFilter) -> [Piece] {
        var pieces: [Piece] = []
        for (s, segment) in segments.enumerated() where segment.count > 0 {
            if let backtests = filter.backtestIds {
                for key in backtests.sorted() {
                    if let range = segment.backtestRanges[key] { pieces.append(Piece(segment: s, range: range)) }
                }
            } else {
                pieces.append(Piece(segment: s, range: 0..<segment.count))
            }
        }
        return pieces
    }

    /// Splits pieces into about `parts` chunks of similar row counts, each at least `minRows` rows.
    static func split(_ pieces: [Piece], parts: Int, minRows: Int) -> [[Piece]] {
        let total = pieces.reduce(0) { $0 + $1.range.count }
        let parts = max(1, min(parts, total / max(1, minRows)))
        if parts == 1 { return [pieces] }
        let target = (total + parts - 1) / parts
        var chunks: [[Piece]] = []
        var current: [Piece] = []
        var filled = 0
        for piece in pieces {
            var lower = piece.range.lowerBound
            while lower < piece.range.upperBound {
                let take = min(piece.range.upperBound - lower, target - filled)
                current.append(Piece(segment: piece.segment, range: lower..<(lower + take)))
                filled += take
                lower += take
                if filled == target {
                    chunks.append(current)
                    current = []
                    filled = 0
                }
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// Per-row metadata and tombstone checks for one segment; nil when every row passes.
    struct RowCheck {
        let tombstones: Tombstones?
        let kindAllowed: [Bool]?
        let time: (lower: Double, upper: Double)?

        @inline(__always)
        func passes(_ segment: Segment, _ row: Int) -> Bool {
            if let tombstones, tombstones.isDead(row) { return false }
            if let kindAllowed, !kindAllowed[Int(segment.kindCodes[row])] { return false }
            if let time {
                // NaN spans (rows without time) fail both comparisons.
                guard segment.spanStart[row] <= time.upper && segment.spanEnd[row] >= time.lower else { return false }
            }
            return true
        }
    }

    func rowCheck(segment s: Int, filter: VectorSearchFilter) -> RowCheck? {
        let dead = tombstones[s].dead > 0 ? tombstones[s] : nil
        let kinds = filter.kinds.map { allowed in segments[s].kindNames.map { allowed.contains($0) } }
        let time = filter.timeRange.map {
            (lower: $0.lowerBound.timeIntervalSince1970, upper: $0.upperBound.timeIntervalSince1970)
        }
        if dead == nil && kinds == nil && time == nil { return nil }
        return RowCheck(tombstones: dead, kindAllowed: kinds, time: time)
    }

    func hits(from selector: TopKSelector<RowRef>, metric: VectorMetric, queryNorm: Float) -> [SearchHit] {
        selector.sorted().map { entry in
            let segment = segments[Int(entry.payload.segment)]
            let score = metric == .l2 ? max(0, queryNorm - entry.key) : entry.key
            return SearchHit(id: entry.id, score: score, metadata: segment.metadata[Int(entry.payload.row)])
        }
    }

    // MARK: - One query

    /// Exact top-k for one query (SIMD scan; metadata checked before a row is scored).
    public func search(_ query: [Float], k: Int, metric: VectorMetric = .innerProduct,
                       filter: VectorSearchFilter = .none, threads: Int? = nil) throws -> VectorSearchResult {
        try validate(query: query)
        try validate(k: k)
        let k = min(k, count)
        let stride = Kernels.stride(dimension: dimension, elementType: elementType)
        var preparing = [Float](repeating: 0, count: stride)
        preparing.withUnsafeMutableBufferPointer { dst in
            query.withUnsafeBufferPointer { src in
                if let base = dst.baseAddress {
                    Kernels.prepareQuery(src, elementType: elementType, stride: stride, scaledForKernel: true, into: base)
                }
            }
        }
        let prepared = preparing
        let queryNorm = query.reduce(Float(0)) { $0 + $1 * $1 }
        let pieces = plan(filter)
        let checks = segments.indices.map { rowCheck(segment: $0, filter: filter) }
        let chunks = Self.split(pieces, parts: threads ?? searchThreads, minRows: 16_384)
        let isL2 = metric == .l2
        let partials = parallelMap(chunks.count) { c in
            prepared.withUnsafeBytes { q in
                guard let base = q.baseAddress else { return (selector: TopKSelector<RowRef>(k: k), scanned: 0, scored: 0) }
                return scan(chunks[c], query: base, k: k, isL2: isL2, checks: checks)
            }
        }
        var selector = TopKSelector<RowRef>(k: k)
        var stats = SearchStats(segments: Set(pieces.map(\.segment)).count)
        for partial in partials {
            selector.merge(partial.selector)
            stats.scannedRows += partial.scanned
            stats.scoredRows += partial.scored
        }
        return VectorSearchResult(hits: hits(from: selector, metric: metric, queryNorm: queryNorm), stats: stats)
    }

    private func scan(_ pieces: [Piece], query: UnsafeRawPointer, k: Int, isL2: Bool, checks: [RowCheck?])
        -> (selector: TopKSelector<RowRef>, scanned: Int, scored: Int) {
        var selector = TopKSelector<RowRef>(k: k)
        var scanned = 0
        var scored = 0
        for piece in pieces {
            let segment = segments[piece.segment]
            scanned += piece.range.count
            switch elementType {
            case .float32:
                let bytes = segment.stride * 4
                scanRows(segment, piece, checks[piece.segment], isL2, &selector, &scored) { row in
                    Kernels.dotF32(row, query, byteCount: bytes)
                }
            case .float16:
                let bytes = segment.stride * 2
                scanRows(segment, piece, checks[piece.segment], isL2, &selector, &scored) { row in
                    Kernels.dotF16(row, query, byteCount: bytes)
                }
            }
        }
        return (selector, scanned, scored)
    }

    @inline(__always)
    private func scanRows(_ segment: Segment, _ piece: Piece, _ check: RowCheck?, _ isL2: Bool,
                          _ selector: inout TopKSelector<RowRef>, _ scored: inout Int,
                          _ dot: (UnsafeRawPointer) -> Float) {
        let rowBytes = segment.rowBytes
        let base = UnsafeRawPointer(segment.storage.base)
        let s = Int32(piece.segment)
        segment.norms.withUnsafeBufferPointer { norms in
            for row in piece.range {
                if let check, !check.passes(segment, row) { continue }
                scored += 1
                let d = dot(base + row * rowBytes)
                let key = isL2 ? 2 * d - norms[row] : d
                if key >= selector.threshold {
                    selector.insert(key: key, id: segment.ids[row], payload: RowRef(segment: s, row: Int32(row)))
                }
            }
        }
    }

    // MARK: - Batch

    /// Exact top-k for many queries at once (blocked `cblas_sgemm` + per-query heaps).
    public func search(batch queries: [[Float]], k: Int, metric: VectorMetric = .innerProduct,
                       filter: VectorSearchFilter = .none, threads: Int? = nil) throws -> [VectorSearchResult] {
        for query in queries { try validate(query: query) }
        try validate(k: k)
        if queries.isEmpty { return [] }
        var flat: [Float] = []
        flat.reserveCapacity(queries.count * dimension)
        for query in queries { flat.append(contentsOf: query) }
        return searchFlat(flat, queryCount: queries.count, k: k, metric: metric, filter: filter, threads: threads)
    }

    /// Batch search over `queryCount` validated queries stored row-major in `flat`.
    func searchFlat(_ flat: [Float], queryCount nq: Int, k: Int, metric: VectorMetric, filter: VectorSearchFilter,
                    threads: Int?) -> [VectorSearchResult] {
        BLASThreads.ensureSingleThreaded()
        let k = min(k, count)
        let stride = Kernels.stride(dimension: dimension, elementType: elementType)
        var preparing = [Float](repeating: 0, count: nq * stride)
        var queryNorms = [Float](repeating: 0, count: nq)
        preparing.withUnsafeMutableBufferPointer { dst in
            flat.withUnsafeBufferPointer { src in
                guard let dstBase = dst.baseAddress, let srcBase = src.baseAddress else { return }
                for q in 0..<nq {
                    let vector = UnsafeBufferPointer(start: srcBase + q * dimension, count: dimension)
                    Kernels.prepareQuery(vector, elementType: elementType, stride: stride, scaledForKernel: false,
                                         into: dstBase + q * stride)
                    queryNorms[q] = vector.reduce(0) { $0 + $1 * $1 }
                }
            }
        }
        let prepared = preparing
        let pieces = plan(filter)
        let checks = segments.indices.map { rowCheck(segment: $0, filter: filter) }
        let blockRows = max(256, min(4096, 65_536 / nq))
        // Cut pieces into blocks, then hand each thread a contiguous run of blocks.
        var cut: [Piece] = []
        for piece in pieces {
            var lower = piece.range.lowerBound
            while lower < piece.range.upperBound {
                let upper = min(piece.range.upperBound, lower + blockRows)
                cut.append(Piece(segment: piece.segment, range: lower..<upper))
                lower = upper
            }
        }
        let blocks = cut
        let parts = max(1, min(threads ?? searchThreads, blocks.count))
        let isL2 = metric == .l2
        let partials = parallelMap(parts) { part in
            let lower = blocks.count * part / parts
            let upper = blocks.count * (part + 1) / parts
            return prepared.withUnsafeBufferPointer { q in
                scanBatch(Array(blocks[lower..<upper]), queries: q, queryCount: nq, blockRows: blockRows, k: k,
                          isL2: isL2, checks: checks)
            }
        }
        let scanned = pieces.reduce(0) { $0 + $1.range.count }
        let stats = SearchStats(scannedRows: scanned, scoredRows: scanned, segments: Set(pieces.map(\.segment)).count)
        return (0..<nq).map { q in
            var selector = TopKSelector<RowRef>(k: k)
            for partial in partials { selector.merge(partial[q]) }
            return VectorSearchResult(hits: hits(from: selector, metric: metric, queryNorm: queryNorms[q]), stats: stats)
        }
    }

    /// True when all 64 floats at `p` are below `threshold`: the sign bits of `x − threshold` are ANDed across
    /// four 16-lane loads and counted with one reduction (Swift's generic `any`/`max` on SIMD types is slower).
    @inline(__always)
    static func allBelow64(_ p: UnsafePointer<Float>, _ threshold: Float) -> Bool {
        let raw = UnsafeRawPointer(p)
        let t = SIMD16<Float>(repeating: threshold)
        func signs(_ offset: Int) -> SIMD16<UInt32> {
            unsafeBitCast(raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - t, to: SIMD16<UInt32>.self)
        }
        let negative = (signs(0) & signs(64) & signs(128) & signs(192)) &>> 31
        return negative.wrappedSum() == 16
    }

    private func scanBatch(_ blocks: [Piece], queries: UnsafeBufferPointer<Float>, queryCount nq: Int, blockRows: Int,
                           k: Int, isL2: Bool, checks: [RowCheck?]) -> [TopKSelector<RowRef>] {
        var selectors = [TopKSelector<RowRef>](repeating: TopKSelector(k: k), count: nq)
        guard let queryBase = queries.baseAddress else { return selectors }
        let stride = Kernels.stride(dimension: dimension, elementType: elementType)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: nq * blockRows)
        defer { scores.deallocate() }
        let decoded: UnsafeMutablePointer<Float>? = elementType == .float16
            ? .allocate(capacity: blockRows * stride) : nil
        defer { decoded?.deallocate() }
        var passes = [Bool](repeating: true, count: blockRows)
        for block in blocks {
            let segment = segments[block.segment]
            let n = block.range.count
            let rowsStart = segment.rowPointer(block.range.lowerBound)
            let matrix: UnsafePointer<Float>
            if let decoded {
                Kernels.decodeF16Permuted(rowsStart, rows: n, stride: stride, into: decoded)
                matrix = UnsafePointer(decoded)
            } else {
                matrix = rowsStart.assumingMemoryBound(to: Float.self)
            }
            Kernels.gemmABt(m: nq, n: n, k: stride, a: queryBase, b: matrix, c: scores)
            let check = checks[block.segment]
            if let check {
                for j in 0..<n { passes[j] = check.passes(segment, block.range.lowerBound + j) }
            }
            let s = Int32(block.segment)
            let lower = block.range.lowerBound
            segment.norms.withUnsafeBufferPointer { allNorms in
                guard let normBase = allNorms.baseAddress else { return }
                let norms = normBase + lower
                for q in 0..<nq {
                    let row = scores + q * n
                    if isL2 {
                        // Turn scores into keys (2·q·x − ‖x‖²) in place.
                        for j in 0..<n { row[j] = 2 * row[j] - norms[j] }
                    }
                    var threshold = selectors[q].threshold
                    var j = 0
                    while j < n {
                        let end = min(j + 64, n)
                        // Skip 64 keys at once when their maximum cannot enter the heap (the common case).
                        if end - j == 64 && Self.allBelow64(row + j, threshold) {
                            j = end
                            continue
                        }
                        while j < end {
                            if row[j] >= threshold && (check == nil || passes[j]) {
                                selectors[q].insert(key: row[j], id: segment.ids[lower + j],
                                                    payload: RowRef(segment: s, row: Int32(lower + j)))
                                threshold = selectors[q].threshold
                            }
                            j += 1
                        }
                    }
                }
            }
        }
        return selectors
    }
}
