import PipsightCore
import Testing
@testable import VectorStore

/// Expects `body` to throw a `PipsightError` with `code`.
func expectCode(_ code: PipsightError.Code, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected \(code), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as PipsightError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw a `PipsightError` with `code`.
func expectCode(_ code: PipsightError.Code, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        try await body()
        Issue.record("expected \(code), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as PipsightError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct ErrorTests {
    @Test func emptyIndex() {
        let index = VectorIndex(dimension: 4, logger: Fixtures.logger)
        expectCode(.emptyIndex) { _ = try index.search([1, 0, 0, 0], k: 3) }
        expectCode(.emptyIndex) { _ = try index.snapshot().search(batch: [[1, 0, 0, 0]], k: 3) }
    }

    @Test func badK() async throws {
        let index = try await Fixtures.index(Fixtures.rows(count: 5, dimension: 4, seed: 1), dimension: 4)
        expectCode(.invalidK) { _ = try index.search([1, 0, 0, 0], k: 0) }
        expectCode(.invalidK) { _ = try index.search([1, 0, 0, 0], k: -3) }
        expectCode(.invalidK) { _ = try index.snapshot().search(batch: [[1, 0, 0, 0]], k: 0) }
    }

    @Test func dimensionMismatch() async throws {
        let index = try await Fixtures.index(Fixtures.rows(count: 5, dimension: 4, seed: 1), dimension: 4)
        expectCode(.dimensionMismatch) { _ = try index.search([1, 0, 0], k: 1) }
        expectCode(.dimensionMismatch) { _ = try index.snapshot().search(batch: [[1, 0, 0, 0], [1]], k: 1) }
        await expectCode(.dimensionMismatch) {
            try await index.add([VectorRow(id: "short", vector: [1, 2], metadata: .init(kind: "trade"))])
        }
        await expectCode(.dimensionMismatch) {
            try await index.add(ids: ["a"], flatVectors: [1, 2, 3], metadata: [.init(kind: "trade")])
        }
        #expect(index.count == 5)
    }

    @Test func nonFiniteValues() async throws {
        let index = try await Fixtures.index(Fixtures.rows(count: 5, dimension: 4, seed: 1), dimension: 4)
        expectCode(.nonFiniteVector) { _ = try index.search([.nan, 0, 0, 0], k: 1) }
        expectCode(.nonFiniteVector) { _ = try index.search([.infinity, 0, 0, 0], k: 1) }
        await expectCode(.nonFiniteVector) {
            try await index.upsert([VectorRow(id: "bad", vector: [0, -.infinity, 0, 0], metadata: .init(kind: "trade"))])
        }
        let half = VectorIndex(dimension: 2, elementType: .float16, logger: Fixtures.logger)
        await expectCode(.nonFiniteVector) {
            try await half.add([VectorRow(id: "big", vector: [70_000, 0], metadata: .init(kind: "trade"))])
        }
        #expect(index.count == 5)
        #expect(!index.snapshot().contains(id: "bad"))
    }
}
