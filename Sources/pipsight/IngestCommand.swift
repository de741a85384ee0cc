import ArgumentParser
import Foundation
import PipsightCore
import PostgresStore
import RAG

/// `pipsight ingest FILE|DIR…`: parse cTrader exports and store them, one transaction per file.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store cTrader exports (report.json/html, events.json, .optres, History CSV, .cbotset) in PostgreSQL.",
        discussion: """
            Each file is detected by its content and stored in one transaction: a file that fails leaves nothing \
            behind, the others still ingest. The same bytes twice are stored once. Exits 1 if any file failed.
            """
    )

    @Argument(help: "Files or directories (searched recursively).")
    var paths: [String]

    @Option(help: "Read every file as this format instead of detecting it (\(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))).")
    var format: ExportFormat?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Do not build and embed the searchable documents after storing (run `pipsight reindex` later).")
    var noIndex = false

    @OptionGroup var database: DatabaseOptions

    struct Report: Codable, Sendable {
        var runID: UUID
        var status: String
        var totals: IngestRunTotals
        var files: [IngestFileResult]
        /// The documents built and embedded for the new backtests (nil with --no-index or when nothing was new).
        var indexing: IndexingReport?
    }

    func run() async throws {
        let files = try await Terminal.run { try FileList.expand(paths) }
        InterruptHandler.exitOnInterrupt(message: """
            interrupted: nothing of the file being ingested was stored (its transaction is rolled back); files \
            finished before it stay stored, and running the same command again skips them
            """)
        let format = self.format
        let json = self.json, noIndex = self.noIndex
        let report = try await Terminal.run {
            try await database.withStore(label: "pipsight.ingest") { store in
                var report = try await Self.ingest(files: files, format: format, store: store, plain: json)
                let ingested = report.files.filter { $0.status == "ingested" }.compactMap(\.id)
                guard !noIndex, !ingested.isEmpty else { return report }
                // The rows are committed: the backtest is queryable now; embedding makes it semantically searchable.
                do {
                    report.indexing = try await DocumentIndexing.run(store: store, backtestIDs: ingested, plain: json)
                } catch let error as PipsightError {
                    Terminal.error("warning: the backtests are stored but not indexed: \(error) [\(error.code)]; run `pipsight reindex`")
                }
                return report
            }
        }
        if json {
            try printJSON(report)
        } else {
            let totals = report.totals
            if let indexing = report.indexing { print(DocumentIndexing.summary(indexing)) }
            print("\(totals.filesIngested) ingested, \(totals.filesSkipped) already ingested, \(totals.filesFailed) failed, \(totals.rows) rows (run \(report.runID.lowercasedString))")
        }
        if report.totals.filesFailed > 0 { throw ExitCode(1) }
    }

    static func ingest(files: [URL], format: ExportFormat?, store: BacktestStore, plain: Bool) async throws -> Report {
        let runID = try await store.startRun(filesTotal: files.count)
        let start = ContinuousClock.now
        var totals = IngestRunTotals()
        totals.filesTotal = files.count
        var reports: [IngestFileResult] = []
        for (index, url) in files.enumerated() {
            let name = url.lastPathComponent
            let shown = FileList.display(url)
            if !plain { Terminal.progress(done: index, total: files.count, label: name) }
            let fileStart = ContinuousClock.now
            do {
                let mapping = try MappedFile(path: url.path)
                if !plain { FileProgress.attach(to: mapping, label: name) }
                let outcome = try await store.ingest(ImportInput(name: name, mapping: mapping), format: format, runID: runID)
                reports.append(IngestFileResult(file: shown, outcome: outcome, seconds: (ContinuousClock.now - fileStart).seconds))
                switch outcome {
                case .ingested(let backtest):
                    totals.filesIngested += 1
                    totals.rows += backtest.rows
                    if !plain {
                        Terminal.clearProgress()
                        print("ingested \(shown) as \(backtest.id.lowercasedString) (\(backtest.format), \(backtest.trades) trades, \(backtest.events) events, \(backtest.parameters) parameters, \(backtest.passes) passes)")
                    }
                case .alreadyIngested(let id):
                    totals.filesSkipped += 1
                    if !plain {
                        Terminal.clearProgress()
                        print("\(shown): already ingested as \(id.lowercasedString)")
                    }
                }
            } catch let error as PipsightError {
                let located = error.location?.file == nil ? error.inFile(name) : error
                totals.filesFailed += 1
                let result = IngestFileResult(file: shown, failure: located)
                totals.failures += result.error.map { [$0] } ?? []
                reports.append(result)
                if !plain {
                    Terminal.clearProgress()
                    Terminal.error("failed \(shown): \(located) [\(located.code)]")
                }
            }
        }
        if !plain { Terminal.clearProgress() }
        try await store.finishRun(runID, totals: totals, seconds: (ContinuousClock.now - start).seconds)
        return Report(runID: runID, status: totals.status, totals: totals, files: reports)
    }
}

extension ExportFormat: ExpressibleByArgument {}

extension UUID {
    /// The canonical lower-case form, as PostgreSQL prints UUIDs.
    var lowercasedString: String { uuidString.lowercased() }
}
