import Analytics
import Foundation
import PipsightCore
import PostgresStore

/// Where facts come from: the stored backtests (`BacktestStore`, SQL) or, in tests, anything with the same reads.
public protocol FactSource: Sendable {
    /// The backtests with these ids, or every stored backtest when `ids` is empty (oldest first).
    func factBacktests(ids: [UUID]) async throws -> [BacktestSummary]
    /// Statistics computed in SQL; nil when the backtest does not exist.
    func statistics(backtestID: UUID) async throws -> BacktestStatistics?
    /// A breakdown computed in SQL.
    func breakdown(backtestID: UUID, by dimension: BreakdownDimension, timeZone: TimeZone) async throws -> [BreakdownRow]
    /// The backtest's trades with their deals, in close order.
    func trades(backtestID: UUID) async throws -> [Trade]
    /// The backtest's optimisation passes.
    func optimisationPasses(backtestID: UUID) async throws -> [OptimisationPass]
    /// The stored versions of these backtests (every stored backtest, oldest first, when `ids` is empty),
    /// throwing `not_found` for an unknown id; nil when the source has no versions, which keeps its facts out of
    /// the cache.
    func backtestVersions(ids: [UUID]) async throws -> [BacktestVersion]?
}

extension FactSource {
    public func backtestVersions(ids: [UUID]) async throws -> [BacktestVersion]? { nil }
}

extension BacktestStore: FactSource {
    public func backtestVersions(ids: [UUID]) async throws -> [BacktestVersion]? {
        try await versions(ids: ids)
    }

    public func factBacktests(ids: [UUID]) async throws -> [BacktestSummary] {
        if ids.isEmpty { return try await list() }
        var result: [BacktestSummary] = []
        for id in ids {
            guard let summary = try await summary(id: id) else {
                throw PipsightError(.notFound, "backtest \(id) does not exist")
            }
            result.append(summary)
        }
        return result
    }
}
