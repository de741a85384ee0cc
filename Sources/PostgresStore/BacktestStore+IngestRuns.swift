import Foundation
import PipsightCore
import PostgresNIO

/// One file's failure, as recorded on its ingest run.
public struct IngestFailure: Sendable, Hashable, Codable {
    public var file: String
    public var code: String
    public var message: String
    public var location: ErrorLocation?

    public init(file: String, error: PipsightError) {
        self.file = file
        self.code = error.code.rawValue
        self.message = error.message
        self.location = error.location
    }
}

/// Counts of one ingest run (a CLI invocation or an upload).
public struct IngestRunTotals: Sendable, Hashable, Codable {
    public var filesTotal = 0
    public var filesIngested = 0
    public var filesSkipped = 0
    public var filesFailed = 0
    public var rows = 0
    public var failures: [IngestFailure] = []

    public init() {}

    /// `succeeded` when nothing failed, `failed` when nothing ingested and something failed, else `partial`.
    public var status: String {
        if filesFailed == 0 { return "succeeded" }
        return filesIngested + filesSkipped == 0 ? "failed" : "partial"
    }
}

extension BacktestStore {
    /// Records the start of an ingest run and returns its id.
    public func startRun(filesTotal: Int) async throws -> UUID {
        let id = UUID()
        try await database("starting an ingest run") {
            try await client.query(
                "INSERT INTO ingest_runs (id, status, files_total) VALUES (\(id), 'running', \(filesTotal))",
                logger: logger)
        }
        return id
    }

    /// Records how an ingest run ended.
    public func finishRun(_ id: UUID, totals: IngestRunTotals, seconds: Double) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let errors = String(decoding: try encoder.encode(totals.failures), as: UTF8.self)
        let timings = "{\"seconds\": \(seconds.isFinite ? seconds : 0)}"
        try await database("finishing an ingest run") {
            try await client.query(
                """
                UPDATE ingest_runs SET finished_at = now(), status = \(totals.status),
                    files_ingested = \(totals.filesIngested), files_skipped = \(totals.filesSkipped),
                    files_failed = \(totals.filesFailed), rows_total = \(totals.rows),
                    errors = \(errors)::jsonb, timings = \(timings)::jsonb
                WHERE id = \(id)
                """, logger: logger)
        }
    }
}
