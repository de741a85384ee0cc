import Foundation

/// What a vector row describes: the backtest it belongs to, the document kind and the time span it covers.
public struct VectorMetadata: Sendable, Hashable, Codable {
    /// The backtest the row belongs to (a UUID as a lowercase string, or any stable key); `nil` for global rows.
    public var backtestId: String?
    /// The document kind (`trade`, `daily`, `weekday`, `stats`, …).
    public var kind: String
    /// Start of the covered time span; `nil` when the document covers no time.
    public var timeStart: Date?
    /// End of the covered time span; `nil` means a single instant at `timeStart`.
    public var timeEnd: Date?

    public init(backtestId: String? = nil, kind: String, timeStart: Date? = nil, timeEnd: Date? = nil) {
        self.backtestId = backtestId
        self.kind = kind
        self.timeStart = timeStart
        self.timeEnd = timeEnd
    }
}

/// One row of the index: a unique id, its vector and its metadata.
public struct VectorRow: Sendable, Hashable {
    public var id: String
    public var vector: [Float]
    public var metadata: VectorMetadata

    public init(id: String, vector: [Float], metadata: VectorMetadata) {
        self.id = id
        self.vector = vector
        self.metadata = metadata
    }
}

/// How rows are compared with the query.
public enum VectorMetric: String, Sendable, Hashable, Codable {
    /// Inner product, larger is better (cosine for unit vectors). `SearchHit.score` is the inner product.
    case innerProduct
    /// Squared Euclidean distance, smaller is better. `SearchHit.score` is the squared distance.
    case l2
}

/// How the index stores vector elements.
public enum VectorElementType: String, Sendable, Hashable, Codable {
    /// 4 bytes per element; exact.
    case float32
    /// 2 bytes per element (IEEE half); half the memory and memory traffic, recall@10 ≥ 0.99 measured.
    case float16

    var byteWidth: Int { self == .float32 ? 4 : 2 }
    var fileCode: UInt32 { self == .float32 ? 0 : 1 }
    init?(fileCode: UInt32) {
        switch fileCode {
        case 0: self = .float32
        case 1: self = .float16
        default: return nil
        }
    }
}

/// A metadata filter applied during the scan; the result stays the exact top-k of the rows that pass.
///
/// Every condition that is set must hold. A row matches `timeRange` when its span
/// `[timeStart ?? timeEnd, timeEnd ?? timeStart]` overlaps the range; rows without any time never match it.
public struct VectorSearchFilter: Sendable, Hashable {
    /// Only rows of these backtests (rows without a backtest never match). Uses per-backtest row ranges.
    public var backtestIds: Set<String>?
    /// Only rows of these kinds.
    public var kinds: Set<String>?
    /// Only rows whose time span overlaps this range (bounds included).
    public var timeRange: ClosedRange<Date>?

    public init(backtestIds: Set<String>? = nil, kinds: Set<String>? = nil, timeRange: ClosedRange<Date>? = nil) {
        self.backtestIds = backtestIds
        self.kinds = kinds
        self.timeRange = timeRange
    }

    /// No filtering.
    public static let none = VectorSearchFilter()

    /// Rows of one backtest.
    public static func backtest(_ id: String) -> VectorSearchFilter {
        VectorSearchFilter(backtestIds: [id])
    }

    var isEmpty: Bool { backtestIds == nil && kinds == nil && timeRange == nil }
}

/// One result of a search.
public struct SearchHit: Sendable, Hashable {
    public var id: String
    /// Inner product (`.innerProduct`) or squared L2 distance (`.l2`).
    public var score: Float
    public var metadata: VectorMetadata

    public init(id: String, score: Float, metadata: VectorMetadata) {
        self.id = id
        self.score = score
        self.metadata = metadata
    }
}

/// What a search looked at.
public struct SearchStats: Sendable, Hashable, Codable {
    /// Rows inside the row ranges visited (per-backtest ranges when the filter names backtests).
    public var scannedRows: Int
    /// Rows whose score was computed (single-query path: only rows that passed the metadata filter).
    public var scoredRows: Int
    /// Segments visited.
    public var segments: Int

    public init(scannedRows: Int = 0, scoredRows: Int = 0, segments: Int = 0) {
        self.scannedRows = scannedRows
        self.scoredRows = scoredRows
        self.segments = segments
    }
}

/// Hits (best first; ties broken by ascending id) and what the search looked at.
public struct VectorSearchResult: Sendable, Hashable {
    public var hits: [SearchHit]
    public var stats: SearchStats

    public init(hits: [SearchHit], stats: SearchStats) {
        self.hits = hits
        self.stats = stats
    }
}

/// Settings of a `VectorIndex`.
public struct VectorIndexConfiguration: Sendable, Hashable {
    /// Threads one search may use (1 suits a server with many concurrent searches).
    public var searchThreads: Int
    /// When more segments than this exist after a write, the newer segments are merged into one.
    public var maxSegments: Int
    /// When this fraction of stored rows is deleted (tombstoned), the index compacts itself.
    public var compactionDeadFraction: Double

    public init(searchThreads: Int = 1, maxSegments: Int = 8, compactionDeadFraction: Double = 0.25) {
        self.searchThreads = max(1, searchThreads)
        self.maxSegments = max(2, maxSegments)
        self.compactionDeadFraction = compactionDeadFraction
    }
}
