import Foundation
import Hummingbird

/// Where the background indexing of one backtest stands (`GET /v1/backtests/{id}/indexing`, upload responses).
struct IndexingStatus: Codable, Sendable, Hashable, ResponseEncodable {
    enum State: String, Codable, Sendable {
        /// Queued behind other backtests.
        case pending
        /// Documents are being built and embedded.
        case indexing
        /// Documents stored and embedded.
        case indexed
        /// Indexing failed (`error` says why); facts still answer, and `pipsight reindex` retries.
        case failed
        /// Not indexed by this server process since it started.
        case untracked
    }

    var backtestId: UUID
    var state: State
    /// Documents built for the backtest (indexed only).
    var documents: Int?
    /// Documents embedded by this run (indexed only; unchanged documents keep their vectors).
    var embeddedDocuments: Int?
    /// The embedding model of the vectors (indexed only).
    var embeddingModel: String?
    /// Why indexing failed (failed only).
    var error: String?
}
