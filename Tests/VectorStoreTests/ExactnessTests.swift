import Testing
@testable import VectorStore

@Suite struct ExactnessTests {
    // 45 dimensions: not a multiple of the 16/32-element blocks, so padding is exercised.
    static let dimension = 45

    @Test(arguments: [1, 3])
    func innerProductMatchesBruteForce(threads: Int) async throws {
        let rows = Fixtures.rows(count: 40_000, dimension: Self.dimension, seed: 1)
        let index = try await Fixtures.index(rows, dimension: Self.dimension, threads: threads)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<5 {
            let query = Fixtures.unitVector(Self.dimension, &rng)
            let result = try index.search(query, k: 10)
            let expected = Fixtures.reference(rows, query: query, k: 10)
            #expect(result.hits.map(\.id) == expected.map(\.id))
            for (hit, ref) in zip(result.hits, expected) { #expect(abs(hit.score - ref.score) < 1e-5) }
            #expect(result.stats.scannedRows == rows.count)
        }
    }

    @Test func batchMatchesSingleAndBruteForce() async throws {
        let rows = Fixtures.rows(count: 9_000, dimension: Self.dimension, seed: 2)
        let index = try await Fixtures.index(rows, dimension: Self.dimension, threads: 2)
        var rng = SeededGenerator(seed: 7)
        let queries = (0..<20).map { _ in Fixtures.unitVector(Self.dimension, &rng) }
        let batch = try index.snapshot().search(batch: queries, k: 7)
        #expect(batch.count == queries.count)
        for (query, result) in zip(queries, batch) {
            let expected = Fixtures.reference(rows, query: query, k: 7)
            #expect(result.hits.map(\.id) == expected.map(\.id))
            #expect(try index.search(query, k: 7).hits.map(\.id) == result.hits.map(\.id))
        }
    }

    @Test func l2MatchesBruteForce() async throws {
        // Non-unit vectors, so L2 ranks differently from inner product.
        let rows = Fixtures.rows(count: 3_000, dimension: Self.dimension, seed: 3, unit: false)
        let index = try await Fixtures.index(rows, dimension: Self.dimension)
        var rng = SeededGenerator(seed: 8)
        let queries = (0..<4).map { _ in Fixtures.unitVector(Self.dimension, &rng).map { $0 * 5 } }
        let batch = try index.snapshot().search(batch: queries, k: 10, metric: .l2)
        for (query, batchResult) in zip(queries, batch) {
            let expected = Fixtures.reference(rows, query: query, k: 10, metric: .l2)
            let single = try index.search(query, k: 10, metric: .l2)
            #expect(single.hits.map(\.id) == expected.map(\.id))
            #expect(batchResult.hits.map(\.id) == expected.map(\.id))
            for (hit, ref) in zip(single.hits, expected) { #expect(abs(hit.score - ref.score) < 1e-3 * max(1, ref.score)) }
            let ipOrder = Fixtures.reference(rows, query: query, k: 10).map(\.id)
            #expect(ipOrder != expected.map(\.id), "fixture should make L2 and inner product disagree")
        }
    }

    @Test func kLargerThanCountReturnsEverythingSorted() async throws {
        let rows = Fixtures.rows(count: 12, dimension: 8, seed: 4)
        let index = try await Fixtures.index(rows, dimension: 8)
        let query = rows[3].vector
        let hits = try index.search(query, k: 100).hits
        #expect(hits.count == 12)
        #expect(hits.first?.id == rows[3].id)
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
}
