import Testing
@testable import VectorStore

@Suite struct Float16Tests {
    @Test func recallAt10AgainstFloat32IsAtLeast099() async throws {
        let dimension = 64
        let rows = Fixtures.rows(count: 8_000, dimension: dimension, seed: 51)
        let full = try await Fixtures.index(rows, dimension: dimension)
        let half = try await Fixtures.index(rows, dimension: dimension, elementType: .float16, threads: 2)
        #expect(half.snapshot().storedBytes * 2 == full.snapshot().storedBytes)
        var rng = SeededGenerator(seed: 52)
        // Queries near stored rows (like real retrieval) and random ones.
        let queries = (0..<60).map { i -> [Float] in
            if i % 2 == 0 { return Fixtures.unitVector(dimension, &rng) }
            let base = rows[i * 97].vector
            let noise = Fixtures.unitVector(dimension, &rng)
            let mixed = zip(base, noise).map { $0 * 0.8 + $1 * 0.2 }
            let norm = mixed.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return mixed.map { $0 / norm }
        }
        var found = 0, foundBatch = 0
        let batch = try half.snapshot().search(batch: queries, k: 10)
        for (q, query) in queries.enumerated() {
            let truth = Set(try full.search(query, k: 10).hits.map(\.id))
            let single = try half.search(query, k: 10).hits
            found += single.filter { truth.contains($0.id) }.count
            foundBatch += batch[q].hits.filter { truth.contains($0.id) }.count
            // Scores are those of the rounded vectors: close to float32.
            if let a = single.first, let b = try full.search(query, k: 1).hits.first, a.id == b.id {
                #expect(abs(a.score - b.score) < 2e-3)
            }
        }
        let recall = Double(found) / Double(queries.count * 10)
        let recallBatch = Double(foundBatch) / Double(queries.count * 10)
        #expect(recall >= 0.99, "float16 recall@10 \(recall)")
        #expect(recallBatch >= 0.99, "float16 batch recall@10 \(recallBatch)")
    }

    @Test func float16KernelMatchesDecodedVectors() async throws {
        // Tiny, subnormal-range and negative values survive the bit-level widening.
        let values: [Float] = [1, -1, 0.5, 6.1e-5, -3e-6, 1e-7, 65504, -2, 0.1, 0, -0, 3.14159]
        var vector = [Float](repeating: 0, count: 33)
        for (i, v) in values.enumerated() { vector[i * 2 + 1] = v; vector[i] += v / 2 }
        let index = try await Fixtures.index([VectorRow(id: "a", vector: vector, metadata: .init(kind: "x"))],
                                             dimension: 33, elementType: .float16)
        let stored = try #require(index.snapshot().vector(for: "a"))
        #expect(stored == vector.map { Float(Float16($0)) })
        var rng = SeededGenerator(seed: 53)
        let query = (0..<33).map { _ in Fixtures.gaussian(&rng) }
        let expected = zip(stored, query).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let score = try #require(try index.search(query, k: 1).hits.first?.score)
        #expect(abs(score - expected) <= 1e-3 * max(1, abs(expected)))
        let batchScore = try #require(try index.snapshot().search(batch: [query], k: 1).first?.hits.first?.score)
        #expect(abs(batchScore - expected) <= 1e-3 * max(1, abs(expected)))
    }
}
