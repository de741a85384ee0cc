import Foundation
import PipsightCore

/// What happened to one file, as `pipsight ingest --json` prints it and `POST /v1/backtests` returns it.
public struct IngestFileResult: Sendable, Hashable, Codable {
    /// `ingested`, `already_ingested` or `failed`.
    public var status: String
    public var file: String
    public var id: UUID?
    public var format: String?
    public var trades: Int?
    public var events: Int?
    public var parameters: Int?
    public var passes: Int?
    public var seconds: Double?
    public var error: IngestFailure?

    public init(file: String, outcome: IngestOutcome, seconds: Double? = nil) {
        self.file = file
        self.seconds = seconds
        switch outcome {
        case .ingested(let backtest):
            status = "ingested"
            id = backtest.id
            format = backtest.format.rawValue
            trades = backtest.trades
            events = backtest.events
            parameters = backtest.parameters
            passes = backtest.passes
        case .alreadyIngested(let existing):
            status = "already_ingested"
            id = existing
        }
    }

    public init(file: String, failure: PipsightError) {
        self.file = file
        status = "failed"
        error = IngestFailure(file: file, error: failure)
    }
}
