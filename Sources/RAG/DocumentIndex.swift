import Foundation
import Logging
import PipsightCore
import PostgresNIO
import PostgresStore
import Synchronization
import VectorStore

/// The searchable documents of every backtest: their text in PostgreSQL (full-text search) and their chunk vectors
/// in PostgreSQL and in an in-memory `VectorIndex` (vector search), for one embedding model.
///
/// Only vectors of this index's embedding model (name and dimension) are loaded or searched: switching embedder
/// (offline ↔ Ollama) never mixes vector spaces; documents not yet embedded by the current model are found by
/// full-text search until `embedPending()` (run by `index`, `reindexAll` and `pipsight reindex`) embeds them.
public final class DocumentIndex: Sendable {
    public let store: BacktestStore
    public let embedder: any EmbeddingModel
    public let configuration: DocumentIndexConfiguration
    /// The in-memory vectors (chunk rows of this model).
    public let vectors: VectorIndex
    let repository: DocumentRepository
    let logger: Logger
    private let builder = DocumentBuilder()
    private let writeLock = AsyncLock()
    /// Vector ids per document id, to drop the vectors of a changed or removed document.
    private let vectorIDs: Mutex<[String: [String]]>
    /// Full-text statistics (common lexemes) and when they were read; refreshed after indexing and every minute.
    let lexemeCache = Mutex<(frequencies: LexemeFrequencies, read: ContinuousClock.Instant?)>((.empty, nil))
    /// Counts the changes to what this index retrieves from in this process (documents stored, vectors added or
    /// dropped, full-text statistics that read differently); part of the key of every cached retrieval and answer.
    private let changes = Atomic<Int>(0)

    private init(store: BacktestStore, embedder: any EmbeddingModel, configuration: DocumentIndexConfiguration,
                 vectors: VectorIndex, vectorIDs: [String: [String]], logger: Logger) {
        self.store = store
        self.embedder = embedder
        self.configuration = configuration
        self.vectors = vectors
        self.repository = DocumentRepository(client: store.client, logger: logger)
        self.logger = logger
        self.vectorIDs = Mutex(vectorIDs)
    }

    /// Opens the index: loads the stored vectors of `embedder`'s model into memory. Embeds nothing.
    public static func open(store: BacktestStore, embedder: any EmbeddingModel,
                            configuration: DocumentIndexConfiguration = .init(), logger: Logger) async throws -> DocumentIndex {
        let repository = DocumentRepository(client: store.client, logger: logger)
        let rows = try await repository.vectors(model: embedder.modelName, dimension: embedder.dimension)
        let index = VectorIndex(dimension: embedder.dimension,
                                configuration: VectorIndexConfiguration(searchThreads: configuration.searchThreads),
                                logger: logger)
        try await index.replaceAll(rows)
        var map: [String: [String]] = [:]
        for row in rows { map[EmbeddingPipeline.documentID(ofVector: row.id), default: []].append(row.id) }
        logger.info("document index opened", metadata: [
            "rag.model": "\(embedder.modelName)", "rag.vectors": "\(rows.count)", "rag.documents": "\(map.count)",
        ])
        return DocumentIndex(store: store, embedder: embedder, configuration: configuration, vectors: index,
                             vectorIDs: map, logger: logger)
    }

    /// The embedding model's name (stored with every vector).
    public var modelName: String { embedder.modelName }

    /// Changes to what this index retrieves from since it opened (see `changes`); changes made by other processes
    /// show in the backtests' `BacktestVersion`s instead.
    public var generation: Int { changes.load(ordering: .acquiring) }

    /// Records a change to what retrieval reads.
    func changed() {
        changes.add(1, ordering: .releasing)
    }

    /// Documents that have vectors of this model in memory.
    public var embeddedDocumentCount: Int { vectorIDs.withLock { $0.count } }

    // MARK: - Indexing

    /// Builds the documents of one backtest, stores them (replacing the previous ones; unchanged documents keep
    /// their vectors), then embeds what is not embedded yet. Re-running it changes nothing.
    /// Throws `not_found` for an unknown backtest.
    @discardableResult
    public func index(backtestID: UUID, progress: (@Sendable (EmbeddingProgress) -> Void)? = nil) async throws -> IndexingReport {
        try await writeLock.withLock {
            let start = ContinuousClock.now
            var report = try await self.storeDocuments(backtestID: backtestID)
            let embedded = try await self.embed(backtestID: backtestID, progress: progress)
            report.embeddedDocuments = embedded.documents
            report.embeddedChunks = embedded.chunks
            return try await self.finish(report, start: start)
        }
    }

    /// Rebuilds the documents of every backtest and embeds whatever is missing for this model.
    @discardableResult
    public func reindexAll(progress: (@Sendable (EmbeddingProgress) -> Void)? = nil) async throws -> IndexingReport {
        try await writeLock.withLock {
            let start = ContinuousClock.now
            var report = IndexingReport()
            for id in try await self.repository.backtestIDs() {
                if let trades = try await self.tradeCountOverLimit(backtestID: id) {
                    self.logger.warning("backtest not indexed: too many trades", metadata: [
                        "backtest.id": "\(id)", "trades": "\(trades)", "limit": "\(self.configuration.maxIndexedTrades)",
                    ])
                    continue
                }
                report.add(try await self.storeDocuments(backtestID: id))
            }
            let embedded = try await self.embed(backtestID: nil, progress: progress)
            report.embeddedDocuments = embedded.documents
            report.embeddedChunks = embedded.chunks
            return try await self.finish(report, start: start)
        }
    }

    /// Embeds every stored document that this model has not embedded yet (after switching embedder, or after an
    /// interrupted run). Builds no documents.
    @discardableResult
    public func embedPending(progress: (@Sendable (EmbeddingProgress) -> Void)? = nil) async throws -> IndexingReport {
        try await writeLock.withLock {
            let start = ContinuousClock.now
            var report = IndexingReport()
            let embedded = try await self.embed(backtestID: nil, progress: progress)
            report.embeddedDocuments = embedded.documents
            report.embeddedChunks = embedded.chunks
            return try await self.finish(report, start: start)
        }
    }

    /// Stores documents built from `content` (tests and tools that have the content in memory), then embeds.
    @discardableResult
    public func index(content: BacktestContent, progress: (@Sendable (EmbeddingProgress) -> Void)? = nil) async throws -> IndexingReport {
        try await writeLock.withLock {
            let start = ContinuousClock.now
            var report = try await self.storeDocuments(self.builder.documents(for: content), backtestID: content.id)
            let embedded = try await self.embed(backtestID: content.id, progress: progress)
            report.embeddedDocuments = embedded.documents
            report.embeddedChunks = embedded.chunks
            return try await self.finish(report, start: start)
        }
    }

    private func finish(_ report: IndexingReport, start: ContinuousClock.Instant) async throws -> IndexingReport {
        var report = report
        if report.added + report.changed + report.removed > 0 {
            // Fresh planner statistics (also the lexeme frequencies full-text search prunes with).
            try await RAGDatabase.run("analysing documents") {
                try await store.client.query("ANALYZE documents", logger: logger)
            }
            lexemeCache.withLock { $0.read = nil }
        }
        report.model = embedder.modelName
        report.dimension = embedder.dimension
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        logger.info("documents indexed", metadata: [
            "rag.documents": "\(report.documents)", "rag.embedded": "\(report.embeddedDocuments)",
            "rag.model": "\(report.model)", "seconds": "\(report.seconds)",
        ])
        return report
    }

    /// The trade count of a backtest with more trades than `maxIndexedTrades`, nil otherwise (or when unknown).
    private func tradeCountOverLimit(backtestID: UUID) async throws -> Int? {
        let client = store.client, logger = self.logger, limit = configuration.maxIndexedTrades
        return try await RAGDatabase.run("counting the trades of backtest \(backtestID)") {
            let rows = try await client.query("SELECT trade_count FROM backtests WHERE id = \(backtestID)", logger: logger)
            for try await count in rows.decode(Int.self) where count > limit { return count }
            return nil
        }
    }

    private func storeDocuments(backtestID: UUID) async throws -> IndexingReport {
        if let trades = try await tradeCountOverLimit(backtestID: backtestID) {
            throw PipsightError(.limitExceeded, """
                backtest \(backtestID.uuidString.lowercased()) has \(trades) trades, more than the \(configuration.maxIndexedTrades) \
                that get searchable documents (PIPSIGHT_INDEX_MAX_TRADES): it is stored and its statistics and \
                breakdowns work, but it is not indexed
                """)
        }
        guard let content = try await BacktestContentReader(store: store).content(of: backtestID) else {
            throw PipsightError(.notFound, "no backtest with id \(backtestID.uuidString.lowercased())")
        }
        return try await storeDocuments(builder.documents(for: content), backtestID: backtestID)
    }

    private func storeDocuments(_ documents: [RAGDocument], backtestID: UUID) async throws -> IndexingReport {
        let replacement = try await repository.replace(backtestID: backtestID, with: documents)
        if !replacement.droppedIDs.isEmpty {
            let dropped = vectorIDs.withLock { map in
                replacement.droppedIDs.flatMap { map.removeValue(forKey: $0) ?? [] }
            }
            await vectors.delete(ids: dropped)
        }
        if replacement.added + replacement.changed + replacement.removed > 0 { changed() }
        var report = IndexingReport()
        report.backtests = 1
        report.documents = documents.count
        report.added = replacement.added
        report.changed = replacement.changed
        report.removed = replacement.removed
        report.unchanged = replacement.unchanged
        return report
    }

    private func embed(backtestID: UUID?, progress: (@Sendable (EmbeddingProgress) -> Void)?) async throws -> (documents: Int, chunks: Int) {
        let pending = try await repository.pending(model: embedder.modelName, backtestID: backtestID)
        guard !pending.isEmpty else { return (0, 0) }
        let pipeline = EmbeddingPipeline(embedder: embedder, repository: repository, configuration: configuration,
                                         logger: logger)
        return try await pipeline.run(pending, progress: progress) { rows in
            try await self.vectors.upsert(rows)
            self.changed()
            self.vectorIDs.withLock { map in
                for row in rows {
                    let document = EmbeddingPipeline.documentID(ofVector: row.id)
                    if !(map[document]?.contains(row.id) ?? false) { map[document, default: []].append(row.id) }
                }
            }
        }
    }

    // MARK: - Reading

    /// The documents with these ids, in the order asked (unknown ids are skipped).
    public func documents(ids: [String]) async throws -> [RAGDocument] {
        let found = try await repository.documents(ids: ids)
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// The documents of a backtest (optionally of one kind), in id order.
    public func documents(backtestID: UUID, kind: DocumentKind? = nil) async throws -> [RAGDocument] {
        try await repository.documents(backtestID: backtestID, kind: kind)
    }
}
