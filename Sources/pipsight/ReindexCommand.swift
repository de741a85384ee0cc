import AsyncHTTPClient
import ArgumentParser
import Foundation
import Logging
import Ollama
import PipsightCore
import PostgresStore
import RAG

/// `pipsight reindex [--backtest ID]`: rebuild the RAG documents and embed what is missing.
struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the searchable documents of one or every backtest and embed what is not embedded yet.",
        discussion: """
            Documents whose text did not change keep their vectors, so running it twice does nothing the second \
            time. Embeds with the model PIPSIGHT_EMBEDDER chooses (default auto: Ollama's embedding model, \
            PIPSIGHT_OLLAMA_EMBED_MODEL, when Ollama answers and has it pulled, else the built-in all-minilm, and \
            says why); batch size, concurrency and chunk length come from \
            PIPSIGHT_EMBED_BATCH, PIPSIGHT_EMBED_CONCURRENCY and PIPSIGHT_CHUNK_CHARACTERS.
            """
    )

    @Option(help: "Only this backtest (its UUID).")
    var backtest: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id: UUID?
        if let backtest {
            guard let parsed = UUID(uuidString: backtest) else { throw ValidationError("--backtest is not a UUID: \(backtest)") }
            id = parsed
        } else {
            id = nil
        }
        let plain = json
        let report = try await Terminal.run {
            try await database.withStore(label: "pipsight.reindex") { store in
                try await DocumentIndexing.run(store: store, backtestIDs: id.map { [$0] }, plain: plain)
            }
        }
        if json {
            try printJSON(report)
        } else {
            print(DocumentIndexing.summary(report))
        }
    }
}

/// Indexing from the CLI (shared by `reindex` and `ingest`), with a progress bar on a terminal.
enum DocumentIndexing {
    /// The embedder `PIPSIGHT_EMBEDDER` chooses (default: Ollama's embedding model when Ollama answers and has it
    /// pulled, else the built-in all-minilm, with why). The HTTP client lives as long as the process (an embedder
    /// keeps using it), like the shared one.
    static func selectEmbedder(logger: Logger) async throws -> EmbedderSelection {
        let configuration = try OllamaConfiguration.fromEnvironment()
        let client = OllamaClient(httpClient: .shared, configuration: configuration, logger: logger)
        return try await EmbedderSelection.select(choice: EmbedderChoice.fromEnvironment(), client: client, logger: logger)
    }

    /// Indexes `backtestIDs`, or every backtest when nil.
    static func run(store: BacktestStore, backtestIDs: [UUID]?, plain: Bool) async throws -> IndexingReport {
        let selection = try await selectEmbedder(logger: store.logger)
        if let notice = selection.notice { Terminal.error("note: \(notice)") }
        let index = try await DocumentIndex.open(store: store, embedder: selection.embedder,
                                                 configuration: .fromEnvironment(), logger: store.logger)
        let progress: @Sendable (EmbeddingProgress) -> Void = { state in
            guard !plain else { return }
            Terminal.progress(done: state.chunksDone, total: state.chunksTotal, label: "embedding \(state.documentsDone)/\(state.documentsTotal) documents")
        }
        defer { if !plain { Terminal.clearProgress() } }
        guard let backtestIDs else { return try await index.reindexAll(progress: progress) }
        var total = IndexingReport()
        for id in backtestIDs {
            let report: IndexingReport
            do {
                report = try await index.index(backtestID: id, progress: progress)
            } catch let error as PipsightError where error.code == .limitExceeded {
                // Too many trades for documents: the others are still indexed.
                Terminal.error("warning: \(error.message) [\(error.code)]")
                continue
            }
            total.backtests += report.backtests
            total.documents += report.documents
            total.added += report.added
            total.changed += report.changed
            total.removed += report.removed
            total.unchanged += report.unchanged
            total.embeddedDocuments += report.embeddedDocuments
            total.embeddedChunks += report.embeddedChunks
            total.model = report.model
            total.dimension = report.dimension
            total.seconds += report.seconds
        }
        return total
    }

    static func summary(_ report: IndexingReport) -> String {
        "\(report.documents) documents in \(report.backtests) backtests (\(report.added) new, \(report.changed) changed, \(report.removed) removed, \(report.unchanged) unchanged); embedded \(report.embeddedDocuments) documents in \(report.embeddedChunks) chunks with \(report.model) in \(String(format: "%.2f", report.seconds)) s"
    }
}
