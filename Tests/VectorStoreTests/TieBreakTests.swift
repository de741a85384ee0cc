import Testing
@testable import VectorStore

@Suite struct TieBreakTests {
    @Test func equalScoresAreOrderedByIdWhateverTheInsertionOrder() async throws {
        // 300 copies of one vector under shuffled ids, plus a distinct better row.
        var rng = SeededGenerator(seed: 5)
        let shared = Fixtures.unitVector(32, &rng)
        var rows = (0..<300).map { VectorRow(id: String(format: "id-%03d", $0), vector: shared,
                                             metadata: VectorMetadata(kind: "trade")) }
        rows.shuffle(using: &rng)
        rows.append(VectorRow(id: "zzz-best", vector: shared.map { $0 * 2 }, metadata: VectorMetadata(kind: "trade")))
        // Split across two adds so the tie spans segments.
        let index = VectorIndex(dimension: 32, logger: Fixtures.logger)
        try await index.add(Array(rows[..<150]))
        try await index.add(Array(rows[150...]))
        let expected = ["zzz-best"] + (0..<9).map { String(format: "id-%03d", $0) }
        for threads in [1, 2, 4] {
            #expect(try index.search(shared, k: 10, threads: threads).hits.map(\.id) == expected)
        }
        #expect(try index.snapshot().search(batch: [shared, shared], k: 10, threads: 3).map { $0.hits.map(\.id) }
            == [expected, expected])
    }

    @Test func selectorKeepsBestKWithTiesById() {
        var rng = SeededGenerator(seed: 11)
        var items = (0..<1000).map { (key: Float(Int.random(in: 0..<20, using: &rng)), id: String(format: "%04d", $0)) }
        let expected = items.sorted { $0.key != $1.key ? $0.key > $1.key : $0.id < $1.id }.prefix(25).map(\.id)
        for _ in 0..<3 {
            items.shuffle(using: &rng)
            var selector = TopKSelector<Int>(k: 25)
            for item in items where item.key >= selector.threshold { selector.insert(key: item.key, id: item.id, payload: 0) }
            #expect(selector.sorted().map(\.id) == expected)
        }
    }
}
