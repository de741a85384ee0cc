import Analytics
import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// Comparison entries for stored backtests: one per optimisation pass for an `.optres` import, else
    /// one for the backtest (its statistics computed in PostgreSQL). Unknown ids are a `not_found` error.
    public func comparisonEntries(backtestIDs: [UUID]) async throws -> [ComparisonEntry] {
        var entries: [ComparisonEntry] = []
        for id in backtestIDs {
            guard let detail = try await detail(id: id) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            let label = detail.summary.sourceName
            if detail.summary.passCount > 0 {
                for pass in try await optimisationPasses(backtestID: id) {
                    entries.append(Comparison.entry(pass: pass, backtestID: id, label: label))
                }
                continue
            }
            guard let statistics = try await statistics(backtestID: id) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            entries.append(Comparison.entry(
                backtestID: id, label: label, statistics: statistics, reportedStatistics: detail.reportedStatistics))
        }
        return entries
    }
}
