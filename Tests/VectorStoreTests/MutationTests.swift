import PipsightCore
import Testing
@testable import VectorStore

@Suite struct MutationTests {
    @Test func upsertDeleteAndCompact() async throws {
        let rows = Fixtures.rows(count: 500, dimension: 16, seed: 31)
        let index = try await Fixtures.index(rows, dimension: 16)
        #expect(index.count == 500)

        // Upsert replaces a row's vector and metadata; count unchanged.
        var replaced = rows[10]
        replaced.vector = rows[20].vector
        replaced.metadata.kind = "replaced"
        try await index.upsert([replaced])
        #expect(index.count == 500)
        #expect(index.snapshot().metadata(for: rows[10].id)?.kind == "replaced")
        let top = try index.search(rows[20].vector, k: 2).hits.map(\.id)
        #expect(Set(top) == [rows[10].id, rows[20].id])

        // Upsert of a new id inserts.
        try await index.upsert([VectorRow(id: "new", vector: rows[0].vector.map { -$0 }, metadata: .init(kind: "trade"))])
        #expect(index.count == 501)
        #expect(try index.search(rows[0].vector.map { -$0 }, k: 1).hits.first?.id == "new")

        // Delete: gone from results and count; unknown ids are ignored.
        let deleted = await index.delete(ids: [rows[20].id, rows[10].id, "absent"])
        #expect(deleted == 2)
        #expect(index.count == 499)
        let after = try index.search(rows[20].vector, k: 5).hits.map(\.id)
        #expect(!after.contains(rows[20].id) && !after.contains(rows[10].id))
        #expect(index.snapshot().contains(id: rows[20].id) == false)

        // Compaction drops tombstones and keeps results identical.
        let before = try index.search(rows[30].vector, k: 10).hits
        await index.compact()
        let snapshot = index.snapshot()
        #expect(snapshot.segmentCount == 1)
        #expect(snapshot.count == 499)
        #expect(snapshot.storedBytes == 499 * 16 * 4)
        #expect(try index.search(rows[30].vector, k: 10).hits == before)
    }

    @Test func addRejectsDuplicatesWithoutChangingAnything() async throws {
        let rows = Fixtures.rows(count: 10, dimension: 8, seed: 32)
        let index = try await Fixtures.index(rows, dimension: 8)
        let generation = index.snapshot().generation
        await expectCode(.duplicateId) { try await index.add([rows[0]]) }
        await expectCode(.duplicateId) {
            let fresh = VectorRow(id: "x", vector: rows[0].vector, metadata: rows[0].metadata)
            try await index.add([fresh, fresh])
        }
        #expect(index.count == 10)
        #expect(index.snapshot().generation == generation)
    }

    @Test func oldSnapshotsStayUnchangedAfterWrites() async throws {
        let rows = Fixtures.rows(count: 100, dimension: 8, seed: 33)
        let index = try await Fixtures.index(rows, dimension: 8)
        let old = index.snapshot()
        await index.delete(ids: [rows[0].id])
        try await index.upsert([VectorRow(id: rows[1].id, vector: rows[2].vector, metadata: rows[1].metadata)])
        await index.compact()
        #expect(old.count == 100)
        #expect(try old.search(rows[0].vector, k: 1).hits.first?.id == rows[0].id)
        #expect(old.vector(for: rows[1].id) == rows[1].vector)
        #expect(index.snapshot().count == 99)
        #expect(index.snapshot().generation > old.generation)
    }

    @Test func manySmallWritesMergeSegmentsAndDeletesTriggerCompaction() async throws {
        let rows = Fixtures.rows(count: 200, dimension: 8, seed: 34)
        let index = VectorIndex(dimension: 8, configuration: VectorIndexConfiguration(maxSegments: 4, compactionDeadFraction: 0.3),
                                logger: Fixtures.logger)
        for chunk in stride(from: 0, to: 200, by: 10) { try await index.add(Array(rows[chunk..<(chunk + 10)])) }
        #expect(index.snapshot().segmentCount <= 4)
        #expect(index.count == 200)
        await index.delete(ids: rows.prefix(70).map(\.id))
        #expect(index.snapshot().segmentCount == 1)
        #expect(index.snapshot().storedBytes == 130 * 16 * 4)
        let query = rows[150].vector
        #expect(try index.search(query, k: 3).hits.map(\.id) == Fixtures.reference(Array(rows[70...]), query: query, k: 3).map(\.id))
    }
}
