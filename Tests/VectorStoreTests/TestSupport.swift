import Foundation
import Logging
@testable import VectorStore

/// Deterministic random numbers (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fixtures {
    static let logger = Logger(label: "test.vectors")

    static func gaussian(_ rng: inout SeededGenerator) -> Float {
        let u1 = Float.random(in: Float.ulpOfOne..<1, using: &rng)
        let u2 = Float.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    static func unitVector(_ dimension: Int, _ rng: inout SeededGenerator) -> [Float] {
        let v = (0..<dimension).map { _ in gaussian(&rng) }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    static let kinds = ["trade", "daily", "weekday", "stats"]
    static let backtests = (0..<5).map { "bt-\($0)" }
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    /// Rows with varied metadata: backtests bt-0…bt-4 (every 7th row has none), kinds, day-long time spans.
    static func rows(count: Int, dimension: Int, seed: UInt64, unit: Bool = true) -> [VectorRow] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            let vector = unit ? unitVector(dimension, &rng) : (0..<dimension).map { _ in gaussian(&rng) * 3 }
            let backtest: String? = i % 7 == 0 ? nil : backtests[i % backtests.count]
            let start = epoch.addingTimeInterval(Double(i % 50) * 86_400)
            let meta = VectorMetadata(backtestId: backtest, kind: kinds[i % kinds.count],
                                      timeStart: i % 11 == 0 ? nil : start,
                                      timeEnd: i % 11 == 0 ? nil : start.addingTimeInterval(86_400 - 1))
            return VectorRow(id: String(format: "row-%05d", i), vector: vector, metadata: meta)
        }
    }

    static func index(_ rows: [VectorRow], dimension: Int, elementType: VectorElementType = .float32,
                      threads: Int = 1) async throws -> VectorIndex {
        let index = VectorIndex(dimension: dimension, elementType: elementType,
                                configuration: VectorIndexConfiguration(searchThreads: threads), logger: logger)
        try await index.add(rows)
        return index
    }

    /// Brute force with plain loops: (id, score) best first, ties by id.
    static func reference(_ rows: [VectorRow], query: [Float], k: Int, metric: VectorMetric = .innerProduct,
                          where include: (VectorRow) -> Bool = { _ in true }) -> [(id: String, score: Float)] {
        var scored: [(id: String, key: Double, score: Float)] = []
        for row in rows where include(row) {
            var dot = 0.0, dist = 0.0
            for j in 0..<query.count {
                dot += Double(row.vector[j]) * Double(query[j])
                let diff = Double(row.vector[j]) - Double(query[j])
                dist += diff * diff
            }
            scored.append(metric == .innerProduct ? (row.id, dot, Float(dot)) : (row.id, -dist, Float(dist)))
        }
        scored.sort { $0.key != $1.key ? $0.key > $1.key : $0.id < $1.id }
        return scored.prefix(k).map { ($0.id, $0.score) }
    }
}
