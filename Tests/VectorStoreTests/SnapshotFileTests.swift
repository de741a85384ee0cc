import Foundation
import PipsightCore
import Testing
@testable import VectorStore

@Suite struct SnapshotFileTests {
    static let dimension = 40

    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("pipsight-vectors-\(UUID().uuidString)")
            .appendingPathComponent("index.psvec")
    }

    @Test(arguments: [VectorElementType.float32, .float16])
    func roundTripPreservesRowsMetadataAndResults(elementType: VectorElementType) async throws {
        let rows = Fixtures.rows(count: 700, dimension: Self.dimension, seed: 41)
        let index = try await Fixtures.index(rows, dimension: Self.dimension, elementType: elementType)
        await index.delete(ids: [rows[5].id])  // a tombstone, so saving has to drop it
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try index.save(to: url, sourceVersion: 7)

        let source = InMemoryVectorRowSource(rows: [], version: 7)
        let loaded = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                                elementType: elementType, logger: Fixtures.logger)
        #expect(loaded.loadReport?.origin == .snapshotFile)
        #expect(await source.loadCount == 0)
        #expect(loaded.count == 699)
        let original = index.snapshot(), restored = loaded.snapshot()
        #expect(Set(restored.ids) == Set(original.ids))
        for row in rows.dropFirst(6).prefix(50) {
            #expect(restored.metadata(for: row.id) == row.metadata)
            #expect(restored.vector(for: row.id) == original.vector(for: row.id))
        }
        var rng = SeededGenerator(seed: 4)
        let query = Fixtures.unitVector(Self.dimension, &rng)
        #expect(try restored.search(query, k: 10).hits == original.search(query, k: 10).hits)
        #expect(try restored.search(query, k: 5, filter: .backtest("bt-2")).stats.scannedRows
            == rows.filter { $0.id != rows[5].id && $0.metadata.backtestId == "bt-2" }.count)
        // The mapped index still accepts writes.
        try await loaded.upsert([VectorRow(id: "later", vector: query, metadata: .init(kind: "trade"))])
        #expect(try loaded.search(query, k: 1).hits.first?.id == "later")
    }

    enum Damage: String, CaseIterable {
        case flippedMatrixByte, flippedMetadataByte, flippedHeaderByte, truncated, truncatedToHeader, empty, extraBytes
    }

    @Test(arguments: Damage.allCases)
    func damagedFileIsRejectedAndRebuiltFromSource(damage: Damage) async throws {
        let rows = Fixtures.rows(count: 300, dimension: Self.dimension, seed: 42)
        let index = try await Fixtures.index(rows, dimension: Self.dimension)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try index.save(to: url, sourceVersion: 3)
        var bytes = try Data(contentsOf: url)
        switch damage {
        case .flippedMatrixByte: bytes[200] ^= 0x40
        case .flippedMetadataByte: bytes[bytes.count - 20] ^= 0x01
        case .flippedHeaderByte: bytes[16] ^= 0x01
        case .truncated: bytes = bytes.prefix(bytes.count / 2)
        case .truncatedToHeader: bytes = bytes.prefix(100)
        case .empty: bytes = Data()
        case .extraBytes: bytes.append(contentsOf: [1, 2, 3])
        }
        try bytes.write(to: url)
        #expect(throws: PipsightError.self) {
            _ = try VectorSnapshotFile.read(from: url, dimension: Self.dimension, elementType: .float32)
        }

        let source = InMemoryVectorRowSource(rows: rows, version: 3)
        let loaded = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                                logger: Fixtures.logger)
        #expect(loaded.loadReport?.origin == .rowSource)
        #expect(await source.loadCount == 1)
        #expect(loaded.count == 300)
        #expect(try loaded.search(rows[9].vector, k: 1).hits.first?.id == rows[9].id)
        // The file was rewritten and is good again.
        let again = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                               logger: Fixtures.logger)
        #expect(again.loadReport?.origin == .snapshotFile)
        #expect(await source.loadCount == 1)
    }

    @Test func staleOrMismatchedFileIsNotUsed() async throws {
        let rows = Fixtures.rows(count: 50, dimension: Self.dimension, seed: 43)
        let index = try await Fixtures.index(rows, dimension: Self.dimension)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try index.save(to: url, sourceVersion: 1)

        // The source moved on: stale file.
        let source = InMemoryVectorRowSource(rows: Array(rows.prefix(20)), version: 2)
        let stale = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                               logger: Fixtures.logger)
        #expect(stale.loadReport?.origin == .rowSource)
        #expect(stale.count == 20)

        // Another dimension or element type: rejected.
        try index.save(to: url, sourceVersion: 2)
        #expect(throws: PipsightError.self) {
            _ = try VectorSnapshotFile.read(from: url, dimension: Self.dimension + 1, elementType: .float32)
        }
        #expect(throws: PipsightError.self) {
            _ = try VectorSnapshotFile.read(from: url, dimension: Self.dimension, elementType: .float16)
        }
        let half = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                              elementType: .float16, logger: Fixtures.logger)
        #expect(half.loadReport?.origin == .rowSource)
        #expect(half.loadReport?.reason?.contains("element type") == true)
    }

    @Test func missingFileLoadsFromSourceAndWritesTheFile() async throws {
        let rows = Fixtures.rows(count: 30, dimension: Self.dimension, seed: 44)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let source = InMemoryVectorRowSource(rows: rows, version: 9)
        let first = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                               logger: Fixtures.logger)
        #expect(first.loadReport?.origin == .rowSource)
        #expect(FileManager.default.fileExists(atPath: url.path))
        let second = try await VectorIndex.load(from: source, snapshotFile: url, dimension: Self.dimension,
                                                logger: Fixtures.logger)
        #expect(second.loadReport?.origin == .snapshotFile)
        #expect(second.count == 30)
    }

    @Test func crc32MatchesKnownValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var split = CRC32()
        split.update(Array(long[..<333]))
        split.update(Array(long[333...]))
        #expect(split.value == CRC32.checksum(long))
    }
}
