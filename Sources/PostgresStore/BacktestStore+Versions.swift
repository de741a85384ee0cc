import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// The versions of the backtests with these ids, in the order asked, or of every stored backtest (oldest
    /// first, as `list()`) when `ids` is empty: one index lookup per id, read before each cached answer is
    /// trusted. Throws `not_found` for an id that is not stored (deleted, or never was).
    public func versions(ids: [UUID]) async throws -> [BacktestVersion] {
        try await database("reading backtest versions") {
            let rows = try await ids.isEmpty
                ? client.query("SELECT id, created_at, xmin::text FROM backtests ORDER BY created_at, id", logger: logger)
                : client.query("SELECT id, created_at, xmin::text FROM backtests WHERE id = ANY(\(ids))", logger: logger)
            var found: [UUID: BacktestVersion] = [:]
            var ordered: [BacktestVersion] = []
            for try await (id, created, xmin) in rows.decode((UUID, Date, String).self) {
                let version = BacktestVersion(id: id, createdAt: created, rowVersion: xmin)
                found[id] = version
                ordered.append(version)
            }
            if ids.isEmpty { return ordered }
            return try ids.map { id in
                guard let version = found[id] else { throw PipsightError(.notFound, "backtest \(id) does not exist") }
                return version
            }
        }
    }
}
