import Foundation
import Logging
import Ollama
import PipsightCore
import PostgresNIO
import PostgresStore
import RAG

/// What `GET /readyz` and the `GET /metrics` scrape look at: PostgreSQL, Ollama, the document index and the
/// indexing queue. Nothing here opens the index or waits long: every check has a short deadline.
struct ServerProbes: Sendable {
    let store: BacktestStore
    let query: QueryService
    /// nil: no Ollama client (answers are always offline).
    let ollama: OllamaClient?
    let indexer: BacktestIndexer?
    /// The `application_name` of this server's PostgreSQL connections (`DatabaseURL.clientConfiguration`).
    let applicationName: String?
    /// The pool's connection limit.
    let maxConnections: Int

    /// Whether PostgreSQL answers `SELECT 1` within 2 s (an unreachable server makes the pool wait).
    func databaseIsUp() async -> Bool {
        do {
            try await withTimeout(.seconds(2)) {
                try await store.client.query("SELECT 1", logger: store.logger)
            }
            return true
        } catch {
            return false
        }
    }

    /// Ollama's state for readiness.
    struct OllamaState: Codable, Sendable {
        /// `reachable`, or `offline` (answers and retrieval use the built-in offline models; `reason` says why).
        var status: String
        var url: String?
        var version: String?
        var reason: String?
    }

    /// Probes Ollama's `/api/version` with a 1 s deadline.
    func ollamaState() async -> OllamaState {
        guard let ollama else {
            return OllamaState(status: "offline", reason: "no Ollama client is configured")
        }
        let url = ollama.configuration.baseURL.absoluteString
        do {
            let version = try await ollama.version(timeout: .seconds(1))
            return OllamaState(status: "reachable", url: url, version: version)
        } catch {
            return OllamaState(status: "offline", url: url, reason: (error as? PipsightError)?.message ?? "\(error)")
        }
    }

    /// The document index's state for readiness and metrics.
    struct IndexState: Codable, Sendable {
        /// Whether the index is loaded (it opens on the first question or upload).
        var open: Bool
        /// The embedding model of the loaded vectors.
        var model: String?
        /// Documents stored in PostgreSQL (nil when they could not be counted).
        var documents: Int?
        /// Documents with vectors of `model` in memory.
        var embeddedDocuments: Int?
        /// Vectors in memory.
        var vectors: Int?
        /// Backtests queued for, or in, background indexing.
        var pendingBacktests: Int
    }

    /// The index's state; `countDocuments` adds the stored documents (one `count(*)`).
    func indexState(countDocuments: Bool) async -> IndexState {
        let index = await query.openedDocumentIndex()
        var state = IndexState(
            open: index != nil, model: index?.modelName, embeddedDocuments: index?.embeddedDocumentCount,
            vectors: index?.vectors.count, pendingBacktests: await indexer?.backlog() ?? 0)
        if countDocuments {
            state.documents = try? await withTimeout(.seconds(2)) {
                let rows = try await store.client.query("SELECT count(*) FROM documents", logger: store.logger)
                for try await count in rows.decode(Int.self) { return count }
                return 0
            }
        }
        return state
    }

    /// This server's pooled connections as PostgreSQL sees them (`pg_stat_activity` rows with its
    /// `application_name`): idle, and in use (running or inside a transaction). The connection asking counts as
    /// idle. nil when PostgreSQL does not answer within 1 s or the server has no application name.
    func poolConnections() async -> (idle: Int, inUse: Int)? {
        guard let applicationName else { return nil }
        return try? await withTimeout(.seconds(1)) {
            let rows = try await store.client.query(
                """
                SELECT count(*) FILTER (WHERE state = 'idle' OR pid = pg_backend_pid()),
                       count(*) FILTER (WHERE state IS DISTINCT FROM 'idle' AND pid <> pg_backend_pid())
                FROM pg_stat_activity WHERE application_name = \(applicationName)
                """, logger: store.logger)
            for try await (idle, inUse) in rows.decode((Int, Int).self) { return (idle, inUse) }
            return (0, 0)
        }
    }
}
