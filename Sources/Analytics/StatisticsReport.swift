import Foundation

/// What `pipsight stats` and `GET /v1/backtests/{id}/stats` return: the statistics, the requested
/// breakdowns, and the reconciliation with the export's own figures.
public struct StatisticsReport: Codable, Sendable, Hashable {
    public var backtestID: UUID
    /// The IANA time zone of the weekday, hour and month breakdowns.
    public var timeZone: String
    public var statistics: BacktestStatistics
    /// Breakdowns by dimension raw value (`weekday`, `holdingTime`…), only those asked for.
    public var breakdowns: [String: [BreakdownRow]]
    public var reconciliation: ReconciliationReport

    public init(
        backtestID: UUID, timeZone: String, statistics: BacktestStatistics, breakdowns: [String: [BreakdownRow]],
        reconciliation: ReconciliationReport
    ) {
        self.backtestID = backtestID
        self.timeZone = timeZone
        self.statistics = statistics
        self.breakdowns = breakdowns
        self.reconciliation = reconciliation
    }
}
