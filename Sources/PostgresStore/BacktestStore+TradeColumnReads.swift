import Analytics
import Foundation
import PipsightCore
import NIOCore
import PostgresNIO

/// Reads for answers that work on the columns stored at ingest (`trade_columns`) instead of the trade rows:
/// the columns themselves, and the position ids of the few trades a figure names.
extension BacktestStore {
    /// The trade columns stored at ingest for a backtest, its chunks appended; nil when it has none of the current
    /// layout (stored before the columns existed, or amounts that did not fit them) or does not exist. Reads
    /// `trade_columns` and the trade count alone, without the export's reported statistics that `statisticsInputs`
    /// also decodes (hundreds of KB of JSON for a large report.json, most of the cost of a question's facts).
    public func tradeColumns(backtestID: UUID) async throws -> TradeColumns? {
        try await database("reading the trade columns of backtest \(backtestID)") {
            let header = try await client.query(
                "SELECT trade_count FROM backtests WHERE id = \(backtestID)", logger: logger)
            var tradeCount: Int?
            for try await count in header.decode(Int.self) { tradeCount = count }
            guard let tradeCount else { return nil }
            // Chunk by chunk, checked against the trade count, as `statisticsInputs` reads them.
            return try await storedColumns(backtestID: backtestID, tradeCount: tradeCount)
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
