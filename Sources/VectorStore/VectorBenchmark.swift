import Dispatch
import Foundation
import Logging
import PipsightCore

/// The library side of `pipsight bench vectors` (and `scripts/bench/vectors`).
///
/// Input files (written by `scripts/bench/vectors`): little-endian `u32 rows, u32 dimension`, then
/// `rows × dimension` float32 values row-major. Row `i` of the data file gets the id `"i"`.
/// The result (see `Result`) is the JSON the script reads; field names are part of that interface.
public enum VectorBenchmark {
    /// Measured figures. `singleIds` / `batchIds` are the top-k row numbers per query (best first) for recall.
    public struct Result: Codable, Sendable, Hashable {
        public var engine: String
        public var rows: Int
        public var dimension: Int
        public var queries: Int
        public var k: Int
        public var threads: Int
        public var elementType: String
        /// OpenBLAS's detected core type (used for the batch sgemm).
        public var blasCore: String
        /// Seconds to read the data file and build the index.
        public var buildSeconds: Double
        /// Milliseconds per query, queries run one at a time (median over repeats).
        public var singleMsPerQuery: Double
        /// Milliseconds per query when all queries run as one batch (median over repeats, divided by `queries`).
        public var batchMsPerQuery: Double
        /// Milliseconds for the whole batch.
        public var batchMsTotal: Double
        /// Bytes of vector storage read per single query (rows × padded stride × element size).
        public var bytesPerScan: Int
        /// `bytesPerScan` / single-query time, in GB/s (10⁹ bytes).
        public var singleGBPerSecond: Double
        /// `bytesPerScan` / whole-batch time (one pass over the matrix per batch), in GB/s.
        public var batchGBPerSecond: Double
        public var singleIds: [[Int]]
        public var batchIds: [[Int]]
    }

    /// Reads a benchmark matrix file.
    public static func readMatrix(_ url: URL) throws -> (rows: Int, dimension: Int, values: [Float]) {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        guard data.count >= 8 else { throw PipsightError(.invalidValue, "\(url.path): shorter than its header") }
        let rows = Int(data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) })
        let dimension = Int(data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) })
        guard dimension > 0, data.count == 8 + rows * dimension * 4 else {
            throw PipsightError(.invalidValue, "\(url.path): \(data.count) bytes do not hold \(rows) × \(dimension) float32")
        }
        var values = [Float](repeating: 0, count: rows * dimension)
        values.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[8..<(8 + rows * dimension * 4)]))
            }
        }
        return (rows, dimension, values)
    }

    /// Builds a snapshot straight from a flat matrix (ids `"0"`, `"1"`, …; kind `bench`).
    static func makeSnapshot(values: [Float], rows: Int, dimension: Int, elementType: VectorElementType,
                             threads: Int) throws -> VectorIndexSnapshot {
        guard values.allSatisfy(\.isFinite) else { throw PipsightError(.nonFiniteVector, "data holds NaN or infinity") }
        let stride = Kernels.stride(dimension: dimension, elementType: elementType)
        let rowBytes = stride * elementType.byteWidth
        let storage = RowStorage(allocating: rows * rowBytes)
        values.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress else { return }
            for row in 0..<rows {
                Kernels.encodeRow(UnsafeBufferPointer(start: base + row * dimension, count: dimension),
                                  elementType: elementType, stride: stride, into: storage.base + row * rowBytes)
            }
        }
        let meta = VectorMetadata(kind: "bench")
        let segment = Segment(dimension: dimension, elementType: elementType, storage: storage,
                              ids: (0..<rows).map { String($0) },
                              metadata: [VectorMetadata](repeating: meta, count: rows), norms: nil)
        return VectorIndexSnapshot(dimension: dimension, elementType: elementType, generation: 1, segments: [segment],
                                   tombstones: [Tombstones(rows: rows)], searchThreads: threads)
    }

    /// Times one-at-a-time and batched exact top-k search over the data file for every query of the queries file.
    public static func run(dataURL: URL, queriesURL: URL, k: Int, threads: Int,
                           elementType: VectorElementType = .float32, repeats: Int = 3,
                           logger: Logger = Logger(label: "pipsight.bench.vectors")) throws -> Result {
        let threads = max(1, threads)
        let started = DispatchTime.now()
        let data = try readMatrix(dataURL)
        let queries = try readMatrix(queriesURL)
        guard queries.dimension == data.dimension else {
            throw PipsightError(.dimensionMismatch, "queries have \(queries.dimension) dimensions, data \(data.dimension)")
        }
        let snapshot = try makeSnapshot(values: data.values, rows: data.rows, dimension: data.dimension,
                                        elementType: elementType, threads: threads)
        let buildSeconds = seconds(since: started)
        logger.info("vector benchmark index built", metadata: [
            "vectors.rows": "\(data.rows)", "vectors.dimension": "\(data.dimension)", "vectors.seconds": "\(buildSeconds)",
        ])
        let queryVectors = (0..<queries.rows).map {
            Array(queries.values[($0 * queries.dimension)..<(($0 + 1) * queries.dimension)])
        }
        guard !queryVectors.isEmpty else { throw PipsightError(.emptyInput, "the queries file holds no query") }

        // Warm-up (page in, caches, thread pool).
        _ = try snapshot.search(queryVectors[0], k: k, threads: threads)

        var singleTimes: [Double] = []
        var singleIds: [[Int]] = []
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now()
            var ids: [[Int]] = []
            for query in queryVectors {
                let result = try snapshot.search(query, k: k, threads: threads)
                ids.append(result.hits.compactMap { Int($0.id) })
            }
            singleTimes.append(seconds(since: t0) * 1000 / Double(queryVectors.count))
            singleIds = ids
        }
        var batchTimes: [Double] = []
        var batchIds: [[Int]] = []
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now()
            let results = try snapshot.search(batch: queryVectors, k: k, threads: threads)
            batchTimes.append(seconds(since: t0) * 1000)
            batchIds = results.map { $0.hits.compactMap { Int($0.id) } }
        }
        let single = median(singleTimes)
        let batchTotal = median(batchTimes)
        let bytes = snapshot.storedBytes
        return Result(
            engine: "pipsight", rows: data.rows, dimension: data.dimension, queries: queryVectors.count, k: k,
            threads: threads, elementType: elementType.rawValue, blasCore: BLASThreads.coreName,
            buildSeconds: buildSeconds, singleMsPerQuery: single,
            batchMsPerQuery: batchTotal / Double(queryVectors.count), batchMsTotal: batchTotal,
            bytesPerScan: bytes, singleGBPerSecond: Double(bytes) / (single / 1000) / 1e9,
            batchGBPerSecond: Double(bytes) / (batchTotal / 1000) / 1e9, singleIds: singleIds, batchIds: batchIds)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
