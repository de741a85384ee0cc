import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import RAG

/// Helpers of the indexing and retrieval tests.
enum RetrievalTestSupport {
    /// Ingests a generated report.json and returns the backtest id.
    static func ingestSample(_ store: BacktestStore, seed: UInt64, trades: Int, format: ExportFormat = .reportJSON) async throws -> UUID {
        let data = SampleGenerator(seed: seed, trades: trades).write(format)
        let outcome = try await store.ingest(ImportInput(name: "sample-\(seed).\(format == .eventsJSON ? "events.json" : "json")", data: data))
        return outcome.backtestID
    }

    /// `SELECT count(*)` of a query returning one integer.
    static func count(_ store: BacktestStore, _ query: PostgresQuery) async throws -> Int {
        let rows = try await store.client.query(query, logger: store.logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}

/// An embedder that sees nothing: every text gets the same unit vector (so only full text can tell documents apart).
struct BlindEmbedder: EmbeddingModel {
    let modelName = "blind-test"
    let dimension = 8

    func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        texts.map { _ in [1, 0, 0, 0, 0, 0, 0, 0] }
    }
}

/// The offline embedder that fails on its `failOnCall`-th call (1-based), and every call after it when `sticky`.
final class FailingEmbedder: EmbeddingModel, @unchecked Sendable {
    let inner = OfflineEmbedder()
    let failOnCall: Int
    private let lock = NSLock()
    private var calls = 0
    var modelName: String { inner.modelName }
    var dimension: Int { inner.dimension }

    init(failOnCall: Int) {
        self.failOnCall = failOnCall
    }

    func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        let call = lock.withLock {
            calls += 1
            return calls
        }
        if call >= failOnCall { throw PipsightError(.io, "embedding service went away (test)") }
        return try await inner.embed(texts, purpose: purpose)
    }
}
