import Analytics
import Foundation
import PipsightCore
import PostgresStore

/// Where facts come from: the stored backtests (`BacktestStore`, SQL) or, in tests, anything with the same reads.
public protocol FactSource: Sendable {
    /// The backtests with these ids, or every stored backtest when `ids` is empty (oldest first); throws
    /// `not_found` for an unknown id. Only the header is read: totals over the trades may be left out.
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
    /// The trade columns stored at ingest; nil when the backtest has none, and the facts then come from
    /// `statistics`, `breakdown` and `trades`.
    func tradeColumns(backtestID: UUID) async throws -> TradeColumns?
    /// The position ids of the trades at these stored positions (the columns' index).
    func positionIDs(backtestID: UUID, seqs: [Int]) async throws -> [Int: String]
}

extension FactSource {
    public func backtestVersions(ids: [UUID]) async throws -> [BacktestVersion]? { nil }
    public func tradeColumns(backtestID: UUID) async throws -> TradeColumns? { nil }
    public func positionIDs(backtestID: UUID, seqs: [Int]) async throws -> [Int: String] { [:] }
}

extension BacktestStore: FactSource {
    public func backtestVersions(ids: [UUID]) async throws -> [BacktestVersion]? {
        try await versions(ids: ids)
    }

    /// The backtests' headers (`headers(ids:)`: the facts need no totals over the trades), in one query.
    public func factBacktests(ids: [UUID]) async throws -> [BacktestSummary] {
        let found = try await headers(ids: ids)
        if found.count < ids.count {
            let known = Set(found.map(\.id))
            if let missing = ids.first(where: { !known.contains($0) }) {
                throw PipsightError(.notFound, "backtest \(missing) does not exist")
            }
        }
        return found
    }
}
