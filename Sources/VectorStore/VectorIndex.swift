import Foundation
import Logging
import PipsightCore
import Synchronization

/// How a loaded index got its rows.
public struct VectorIndexLoadReport: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable {
        /// From a valid, current snapshot file.
        case snapshotFile
        /// From the row source (PostgreSQL); `reason` says why the snapshot file was not used.
        case rowSource
    }

    public var origin: Origin
    public var reason: String?
    public var rows: Int
}

/// The one writer of a vector index. Every write publishes a new immutable `VectorIndexSnapshot`;
/// readers call `snapshot()` (no `await`, no actor hop) and search it while writes go on.
public actor VectorIndex {
    public nonisolated let dimension: Int
    public nonisolated let elementType: VectorElementType
    public nonisolated let configuration: VectorIndexConfiguration
    /// Set by `load(from:snapshotFile:…)`; nil for an index created empty.
    public nonisolated let loadReport: VectorIndexLoadReport?
    private let logger: Logger
    private nonisolated let published: Mutex<VectorIndexSnapshot>

    private var segments: [Segment] = []
    private var tombstones: [Tombstones] = []
    private var generation: UInt64 = 0

    /// An empty index.
    public init(dimension: Int, elementType: VectorElementType = .float32,
                configuration: VectorIndexConfiguration = .init(), logger: Logger) {
        self.init(dimension: dimension, elementType: elementType, configuration: configuration, logger: logger,
                  segments: [], loadReport: nil)
    }

    init(dimension: Int, elementType: VectorElementType, configuration: VectorIndexConfiguration, logger: Logger,
         segments: [Segment], loadReport: VectorIndexLoadReport?) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        self.elementType = elementType
        self.configuration = configuration
        self.logger = logger
        self.loadReport = loadReport
        self.segments = segments
        self.tombstones = segments.map { Tombstones(rows: $0.count) }
        self.generation = 1
        published = Mutex(VectorIndexSnapshot(dimension: dimension, elementType: elementType, generation: 1,
                                              segments: segments, tombstones: tombstones,
                                              searchThreads: configuration.searchThreads))
    }

    /// The latest published snapshot. Cheap; safe from any thread.
    public nonisolated func snapshot() -> VectorIndexSnapshot {
        published.withLock { $0 }
    }

    /// Searches the latest snapshot.
    public nonisolated func search(_ query: [Float], k: Int, metric: VectorMetric = .innerProduct,
                                   filter: VectorSearchFilter = .none, threads: Int? = nil) throws -> VectorSearchResult {
        try snapshot().search(query, k: k, metric: metric, filter: filter, threads: threads)
    }

    /// Live rows in the latest snapshot.
    public nonisolated var count: Int { snapshot().count }

    // MARK: - Writes

    /// Adds new rows; fails (changing nothing) when an id already exists or repeats in `rows`.
    public func add(_ rows: [VectorRow]) throws {
        try validate(rows)
        var seen = Set<String>()
        for row in rows {
            guard seen.insert(row.id).inserted, locate(row.id) == nil else {
                throw PipsightError(.duplicateId, "vector id \(row.id) already exists")
            }
        }
        guard !rows.isEmpty else { return }
        append(rows)
        publish()
    }

    /// Adds `ids.count` rows given as one flat row-major array (`ids.count × dimension` values).
    public func add(ids: [String], flatVectors: [Float], metadata: [VectorMetadata]) throws {
        guard flatVectors.count == ids.count * dimension, metadata.count == ids.count else {
            throw PipsightError(.dimensionMismatch,
                                "\(flatVectors.count) values and \(metadata.count) metadata for \(ids.count) ids of dimension \(dimension)")
        }
        var rows: [VectorRow] = []
        rows.reserveCapacity(ids.count)
        for i in ids.indices {
            rows.append(VectorRow(id: ids[i], vector: Array(flatVectors[(i * dimension)..<((i + 1) * dimension)]),
                                  metadata: metadata[i]))
        }
        try add(rows)
    }

    /// Inserts rows or replaces the rows with the same ids (the last of repeated ids in `rows` wins).
    public func upsert(_ rows: [VectorRow]) throws {
        try validate(rows)
        var lastIndex: [String: Int] = [:]
        for (i, row) in rows.enumerated() { lastIndex[row.id] = i }
        let unique = rows.enumerated().filter { lastIndex[$0.element.id] == $0.offset }.map(\.element)
        guard !unique.isEmpty else { return }
        for row in unique {
            if let ref = locate(row.id) { tombstones[Int(ref.segment)].kill(Int(ref.row)) }
        }
        append(unique)
        publish()
    }

    /// Deletes rows by id (tombstones; space comes back on compaction). Returns how many existed.
    @discardableResult
    public func delete(ids: [String]) -> Int {
        var deleted = 0
        for id in Set(ids) {
            if let ref = locate(id) {
                tombstones[Int(ref.segment)].kill(Int(ref.row))
                deleted += 1
            }
        }
        if deleted > 0 { publish() }
        return deleted
    }

    /// Rewrites all live rows into one segment grouped by backtest, dropping deleted rows.
    public func compact() {
        compactSegments(from: 0)
        publishUnchecked()
    }

    /// Replaces every row (used when reloading from the row source).
    public func replaceAll(_ rows: [VectorRow]) throws {
        try validate(rows)
        guard Set(rows.map(\.id)).count == rows.count else {
            throw PipsightError(.duplicateId, "the rows repeat an id")
        }
        segments = []
        tombstones = []
        if !rows.isEmpty { append(rows) }
        publishUnchecked()
    }

    // MARK: - Internals

    private func validate(_ rows: [VectorRow]) throws {
        for row in rows {
            guard row.vector.count == dimension else {
                throw PipsightError(.dimensionMismatch,
                                    "vector \(row.id) has \(row.vector.count) dimensions, the index has \(dimension)")
            }
            guard row.vector.allSatisfy(\.isFinite) else {
                throw PipsightError(.nonFiniteVector, "vector \(row.id) contains NaN or infinity")
            }
            if elementType == .float16, row.vector.contains(where: { abs($0) > Float(Float16.greatestFiniteMagnitude) }) {
                throw PipsightError(.nonFiniteVector, "vector \(row.id) has a value beyond ±65504 (float16 storage)")
            }
        }
    }

    private func locate(_ id: String) -> RowRef? {
        for s in segments.indices.reversed() {
            if let row = segments[s].rowOfId[id], !tombstones[s].isDead(row) {
                return RowRef(segment: Int32(s), row: Int32(row))
            }
        }
        return nil
    }

    private func append(_ rows: [VectorRow]) {
        let entries = rows.map { Segment.Entry(id: $0.id, metadata: $0.metadata, origin: .vector($0.vector)) }
        let segment = Segment(dimension: dimension, elementType: elementType, entries: entries)
        segments.append(segment)
        tombstones.append(Tombstones(rows: segment.count))
    }

    /// Merges segments `from...` into one (all of them when `from == 0`).
    private func compactSegments(from first: Int) {
        guard first < segments.count else { return }
        var entries: [Segment.Entry] = []
        for s in first..<segments.count {
            let segment = segments[s]
            for row in 0..<segment.count where !tombstones[s].isDead(row) {
                entries.append(Segment.Entry(id: segment.ids[row], metadata: segment.metadata[row],
                                             origin: .copy(segment, row)))
            }
        }
        segments.removeSubrange(first...)
        tombstones.removeSubrange(first...)
        if !entries.isEmpty {
            let merged = Segment(dimension: dimension, elementType: elementType, entries: entries)
            segments.append(merged)
            tombstones.append(Tombstones(rows: merged.count))
        }
        logger.debug("vector index compacted", metadata: [
            "vectors.rows": "\(entries.count)", "vectors.segments": "\(segments.count)",
        ])
    }

    /// Applies the merge policy, then publishes.
    private func publish() {
        let stored = segments.reduce(0) { $0 + $1.count }
        let dead = tombstones.reduce(0) { $0 + $1.dead }
        if stored > 0, Double(dead) / Double(stored) > configuration.compactionDeadFraction {
            compactSegments(from: 0)
        } else if segments.count > configuration.maxSegments {
            compactSegments(from: 1)
        }
        publishUnchecked()
    }

    private func publishUnchecked() {
        generation += 1
        let next = VectorIndexSnapshot(dimension: dimension, elementType: elementType, generation: generation,
                                       segments: segments, tombstones: tombstones,
                                       searchThreads: configuration.searchThreads)
        published.withLock { $0 = next }
    }

    // MARK: - Persistence

    /// Writes the latest snapshot to `url` (atomically: temporary file, then rename).
    public nonisolated func save(to url: URL, sourceVersion: UInt64) throws {
        try VectorSnapshotFile.write(snapshot(), sourceVersion: sourceVersion, to: url)
    }

    /// Loads an index: from `snapshotFile` when it is valid and at the source's current version, otherwise
    /// from `source` (the file is then rewritten when a URL was given). A damaged file is never trusted.
    public static func load(from source: any VectorRowSource, snapshotFile: URL?, dimension: Int,
                            elementType: VectorElementType = .float32,
                            configuration: VectorIndexConfiguration = .init(),
                            logger: Logger) async throws -> VectorIndex {
        let version = try await source.currentVersion()
        var reason = "no snapshot file configured"
        if let snapshotFile {
            if !FileManager.default.fileExists(atPath: snapshotFile.path) {
                reason = "snapshot file \(snapshotFile.path) does not exist"
            } else {
                do {
                    let file = try VectorSnapshotFile.read(from: snapshotFile, dimension: dimension,
                                                           elementType: elementType)
                    if file.sourceVersion == version {
                        logger.info("vector index loaded from snapshot file", metadata: [
                            "vectors.file": "\(snapshotFile.path)", "vectors.rows": "\(file.segment.count)",
                        ])
                        return VectorIndex(dimension: dimension, elementType: elementType,
                                           configuration: configuration, logger: logger, segments: [file.segment],
                                           loadReport: VectorIndexLoadReport(origin: .snapshotFile, reason: nil,
                                                                             rows: file.segment.count))
                    }
                    reason = "snapshot file is at source version \(file.sourceVersion), the source is at \(version)"
                } catch {
                    reason = "snapshot file rejected: \(error)"
                }
            }
            logger.warning("vector index rebuilt from the row source", metadata: [
                "vectors.file": "\(snapshotFile.path)", "vectors.reason": "\(reason)",
            ])
        }
        let rows = try await source.loadAllRows()
        let index = VectorIndex(dimension: dimension, elementType: elementType, configuration: configuration,
                                logger: logger, segments: [],
                                loadReport: VectorIndexLoadReport(origin: .rowSource, reason: reason, rows: rows.count))
        try await index.replaceAll(rows)
        if let snapshotFile {
            do {
                try index.save(to: snapshotFile, sourceVersion: version)
            } catch {
                logger.error("could not write the vector snapshot file", metadata: [
                    "vectors.file": "\(snapshotFile.path)", "error": "\(error)",
                ])
            }
        }
        return index
    }
}
