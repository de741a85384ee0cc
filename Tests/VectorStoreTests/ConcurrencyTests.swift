import Testing
@testable import VectorStore

@Suite struct ConcurrencyTests {
    /// Many searches run while one writer adds, upserts, deletes and compacts. Every search sees one consistent
    /// snapshot: the rows it returns exist in that snapshot and its top hit is exact for it.
    @Test func searchesWhileWriting() async throws {
        let dimension = 32
        let base = Fixtures.rows(count: 4_000, dimension: dimension, seed: 61)
        let extra = Fixtures.rows(count: 2_000, dimension: dimension, seed: 62).map {
            VectorRow(id: "extra-" + $0.id, vector: $0.vector, metadata: $0.metadata)
        }
        let index = try await Fixtures.index(base, dimension: dimension, threads: 2)
        let anchors = Array(base.suffix(100))  // never deleted or changed

        let checked = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for chunk in stride(from: 0, to: extra.count, by: 100) {
                    try await index.add(Array(extra[chunk..<(chunk + 100)]))
                    await index.delete(ids: base[chunk / 2..<(chunk / 2 + 50)].map(\.id))
                    try await index.upsert([VectorRow(id: extra[chunk].id, vector: extra[chunk + 1].vector,
                                                      metadata: extra[chunk].metadata)])
                    if chunk % 500 == 0 { await index.compact() }
                }
                return 0
            }
            for worker in 0..<16 {
                group.addTask {
                    var checks = 0
                    for i in 0..<40 {
                        let anchor = anchors[(worker * 40 + i) % anchors.count]
                        let snapshot = index.snapshot()
                        let hits: [SearchHit]
                        if i % 4 == 0 {
                            hits = try snapshot.search(batch: [anchor.vector], k: 5)[0].hits
                        } else {
                            hits = try snapshot.search(anchor.vector, k: 5, threads: 1 + i % 2).hits
                        }
                        #expect(hits.first?.id == anchor.id)
                        #expect(hits.count == 5)
                        #expect(hits.allSatisfy { snapshot.contains(id: $0.id) })
                        #expect(Set(hits.map(\.id)).count == hits.count)
                        checks += 1
                    }
                    return checks
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(checked == 16 * 40)
        #expect(index.count == 4_000 + 2_000 - 20 * 50)
        let final = index.snapshot()
        let live = base.filter { final.contains(id: $0.id) } + extra.filter { final.contains(id: $0.id) }
        #expect(live.count == final.count)
    }
}
