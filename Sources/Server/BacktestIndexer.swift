import Foundation
import Logging
import PipsightCore
import RAG
import ServiceLifecycle

/// Indexes uploaded backtests in the background, one at a time, for the life of the application: an upload
/// queues its backtest and returns at once; the backtest is queryable from its rows (facts) right away, by full
/// text once its documents are stored and by vector search once its vectors are. Stops at graceful shutdown,
/// cancelling the job in progress (queued backtests stay unindexed; `pipsight reindex` picks them up).
actor BacktestIndexer: Service {
    /// The index to write into (the one questions are answered from).
    typealias IndexProvider = @Sendable () async throws -> DocumentIndex

    private let provider: IndexProvider
    private let logger: Logger
    private var statuses: [UUID: IndexingStatus] = [:]
    private let jobs: AsyncStream<UUID>
    private let continuation: AsyncStream<UUID>.Continuation

    init(logger: Logger, index provider: @escaping IndexProvider) {
        self.provider = provider
        self.logger = logger
        (jobs, continuation) = AsyncStream<UUID>.makeStream()
    }

    /// Queues `id` (again if it was indexed before) and returns its status.
    @discardableResult
    func enqueue(_ id: UUID) -> IndexingStatus {
        let status = IndexingStatus(backtestId: id, state: .pending)
        statuses[id] = status
        continuation.yield(id)
        return status
    }

    /// Backtests queued or being indexed now.
    func backlog() -> Int {
        statuses.values.count { $0.state == .pending || $0.state == .indexing }
    }

    /// The status of `id` (`untracked` when this process never queued it).
    func status(of id: UUID) -> IndexingStatus {
        statuses[id] ?? IndexingStatus(backtestId: id, state: .untracked)
    }

    nonisolated func run() async throws {
        let continuation = self.continuation
        // Graceful shutdown also cancels the job in progress: embedding a large backtest with the built-in model
        // takes minutes, and an interrupted job loses nothing (documents without vectors are embedded when the
        // index next opens, or by `pipsight reindex`).
        await cancelWhenGracefulShutdown { [jobs] in
            for await id in jobs {
                if Task.isCancelled { break }
                await self.process(id)
            }
        }
        continuation.finish()
    }

    private func set(_ status: IndexingStatus) {
        statuses[status.backtestId] = status
    }

    private func process(_ id: UUID) async {
        set(IndexingStatus(backtestId: id, state: .indexing))
        do {
            let index = try await provider()
            let report = try await index.index(backtestID: id)
            set(IndexingStatus(
                backtestId: id, state: .indexed, documents: report.documents,
                embeddedDocuments: report.embeddedDocuments, embeddingModel: report.model))
        } catch {
            let message = (error as? PipsightError)?.message ?? "\(error)"
            logger.warning("background indexing failed", metadata: [
                "backtest": "\(id.uuidString.lowercased())", "error": "\(message)",
            ])
            set(IndexingStatus(backtestId: id, state: .failed, error: message))
        }
    }
}
