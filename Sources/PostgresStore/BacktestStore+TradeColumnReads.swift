import Analytics
import Foundation
import PipsightCore
import NIOCore
import PostgresNIO

/// Reads for answers that work on the columns stored at ingest (`trade_columns`) instead of the trade rows:
/// the columns themselves, and the position ids of the few trades a figure names.
extension BacktestStore {
    /// The trade columns stored at ingest for a backtest; nil when it has none of the current layout (stored
    /// before the columns existed, or amounts that did not fit them) or does not exist. Reads `trade_columns`
    /// alone, as `statisticsInputs` reads it, without the export's reported statistics that `statisticsInputs`
    /// also decodes (hundreds of KB of JSON for a large report.json, most of the cost of a question's facts).
    public func tradeColumns(backtestID: UUID) async throws -> TradeColumns? {
        try await database("reading the trade columns of backtest \(backtestID)") {
            let rows = try await client.query(
                "SELECT version, data FROM trade_columns WHERE backtest_id = \(backtestID)", logger: logger)
            for try await (version, data) in rows.decode((Int32, ByteBuffer).self) {
                guard version == TradeColumns.storageVersion else { return nil }
                return try TradeColumns(stored: data)
            }
            return nil
        }
    }

    /// The position ids of the trades at these stored positions (`seq`, the columns' index); positions with no
    /// trade are left out.
    public func positionIDs(backtestID: UUID, seqs: [Int]) async throws -> [Int: String] {
        guard !seqs.isEmpty else { return [:] }
        return try await database("reading position ids of backtest \(backtestID)") {
            var positions: [Int: String] = [:]
            let rows = try await client.query(
                "SELECT seq, position_id FROM trades WHERE backtest_id = \(backtestID) AND seq = ANY(\(seqs))",
                logger: logger)
            for try await (seq, position) in rows.decode((Int, String).self) { positions[seq] = position }
            return positions
        }
    }
}
