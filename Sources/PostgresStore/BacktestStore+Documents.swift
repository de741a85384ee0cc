import Foundation
import PostgresNIO

extension BacktestStore {
    /// One stored question-index document by id, or nil.
    public func document(id: String) async throws -> StoredDocument? {
        // PostgreSQL text cannot hold U+0000, so no stored id has one (and the query itself would fail).
        guard !id.utf8.contains(0) else { return nil }
        return try await database("reading document \(id)") {
            let rows = try await client.query(
                """
                SELECT id, backtest_id, kind, title, body, trade_ids, time_start, time_end
                FROM documents WHERE id = \(id)
                """, logger: logger)
            for try await row in rows.decode((String, UUID, String, String, String, [String], Date?, Date?).self) {
                return StoredDocument(
                    id: row.0, backtestId: row.1, kind: row.2, title: row.3, body: row.4, tradeIds: row.5,
                    timeStart: row.6, timeEnd: row.7)
            }
            return nil
        }
    }
}
