import Foundation
import PipsightCore

/// What happened to one file of an ingest.
public enum IngestOutcome: Sendable, Hashable {
    /// Stored as a new backtest.
    case ingested(IngestedBacktest)
    /// The same bytes were stored before; nothing new was written.
    case alreadyIngested(id: UUID)

    /// The backtest the file is stored as.
    public var backtestID: UUID {
        switch self {
        case .ingested(let backtest): backtest.id
        case .alreadyIngested(let id): id
        }
    }
}

/// Counts of what one file added.
public struct IngestedBacktest: Sendable, Hashable, Codable {
    public var id: UUID
    public var format: ExportFormat
    public var trades: Int
    public var deals: Int
    public var events: Int
    public var parameters: Int
    public var passes: Int
    /// Seconds from the start of parsing to the commit (parsing and COPY overlap).
    public var seconds: Double

    public var rows: Int { trades + deals + events + parameters + passes }
}
