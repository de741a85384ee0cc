import CoreMetrics
import Foundation
import Hummingbird
import PipsightCore
import PostgresStore

/// `POST /v1/backtests`, `GET /v1/backtests`, `GET /v1/backtests/{id}`.
struct BacktestRoutes: Sendable {
    let store: BacktestStore
    let maxUploadBytes: Int
    /// Indexes newly stored backtests in the background; nil: no indexing after uploads.
    var indexer: BacktestIndexer?
    /// Where `pipsight_ingest_files_total{status}` and `pipsight_ingest_rows_total{kind}` are recorded.
    var metricsFactory: any MetricsFactory = MetricsSystem.factory

    struct UploadResponse: ResponseEncodable {
        var files: [IngestFileResult]
        /// The background indexing queued for the newly stored backtests.
        var indexing: [IndexingStatus]
    }

    struct ListResponse: ResponseEncodable {
        var backtests: [BacktestSummary]
    }

    func register(on group: RouterGroup<PipsightRequestContext>) {
        group.post("backtests") { request, _ -> EditedResponse<UploadResponse> in
            let format = try request.uri.queryParameters.get("format").map { text -> ExportFormat in
                guard let format = ExportFormat(rawValue: text) else {
                    throw PipsightError(.badRequest, "unknown format \"\(text)\"; use one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return format
            }
            let files = try await UploadBody.files(from: request, maxBytes: maxUploadBytes)
            var results: [IngestFileResult] = []
            var anyStored = false
            var indexing: [IndexingStatus] = []
            for file in files {
                do {
                    let outcome = try await store.ingest(ImportInput(name: file.name, data: file.data), format: format)
                    if case .ingested = outcome {
                        anyStored = true
                        if let indexer { indexing.append(await indexer.enqueue(outcome.backtestID)) }
                    }
                    results.append(IngestFileResult(file: file.name, outcome: outcome))
                    recordIngest(outcome)
                } catch let error as PipsightError where error.code != .database {
                    recordIngestFailure()
                    if files.count == 1 { throw error }
                    results.append(IngestFileResult(file: file.name, failure: error))
                }
            }
            let status: HTTPResponse.Status = anyStored ? .created : (results.contains { $0.status == "failed" } ? .unprocessableContent : .ok)
            return EditedResponse(status: status, response: UploadResponse(files: results, indexing: indexing))
        }
        group.get("backtests") { _, _ in
            ListResponse(backtests: try await store.list())
        }
        group.get("backtests/:id") { _, context -> BacktestDetail in
            guard let id = context.parameters.get("id", as: UUID.self) else {
                throw PipsightError(.notFound, "no backtest with id \"\(context.parameters.get("id") ?? "")\"")
            }
            guard let detail = try await store.detail(id: id) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            return detail
        }
        group.get("backtests/:id/indexing") { _, context -> IndexingStatus in
            guard let id = context.parameters.get("id", as: UUID.self), try await store.detail(id: id) != nil else {
                throw PipsightError(.notFound, "no backtest with id \"\(context.parameters.get("id") ?? "")\"")
            }
            return await indexer?.status(of: id) ?? IndexingStatus(backtestId: id, state: .untracked)
        }
    }
}

extension BacktestRoutes {
    static let ingestFilesMetric = "pipsight_ingest_files_total"
    static let ingestRowsMetric = "pipsight_ingest_rows_total"

    /// Counts a stored or duplicate file and, for a stored one, its rows by kind.
    func recordIngest(_ outcome: IngestOutcome) {
        switch outcome {
        case .ingested(let backtest):
            Counter(label: Self.ingestFilesMetric, dimensions: [("status", "ingested")], factory: metricsFactory).increment()
            let rows = [("trades", backtest.trades), ("deals", backtest.deals), ("events", backtest.events),
                        ("parameters", backtest.parameters), ("passes", backtest.passes)]
            for (kind, count) in rows {
                Counter(label: Self.ingestRowsMetric, dimensions: [("kind", kind)], factory: metricsFactory).increment(by: count)
            }
        case .alreadyIngested:
            Counter(label: Self.ingestFilesMetric, dimensions: [("status", "already_ingested")], factory: metricsFactory)
                .increment()
        }
    }

    /// Counts a file that could not be stored.
    func recordIngestFailure() {
        Counter(label: Self.ingestFilesMetric, dimensions: [("status", "failed")], factory: metricsFactory).increment()
    }
}

extension BacktestDetail: ResponseEncodable {}
