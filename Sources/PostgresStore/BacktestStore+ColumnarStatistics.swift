import Analytics
import Foundation
import NIOCore
import PipsightCore
import PostgresNIO

/// Statistics from the columns stored at ingest (`trade_columns`): one read of a packed value and one pass
/// in Swift (`ColumnarStatistics`) instead of several passes over the trade rows in PostgreSQL. Backtests
/// stored before the columns existed, or whose amounts do not fit them, are computed by the SQL version.
extension BacktestStore {
    /// What a backtest's statistics start from: the export's starting capital and own statistics, and the
    /// stored columns (nil when there are none of the current layout).
    struct StatisticsInputs: Sendable {
        var startingCapital: Decimal?
        var reportedStatistics: JSONValue?
        var columns: TradeColumns?
    }

    /// The inputs of an existing backtest, nil when there is no such backtest. The columns are read a chunk
    /// at a time (`trade_columns` rows in `chunk` order) and appended, so no single value holds them all.
    func statisticsInputs(backtestID: UUID) async throws -> StatisticsInputs? {
        try await database("reading the trade columns of backtest \(backtestID)") {
            let header = try await client.query(
                """
                SELECT starting_capital, reported_statistics::text, trade_count FROM backtests WHERE id = \(backtestID)
                """, logger: logger)
            var found: (inputs: StatisticsInputs, tradeCount: Int)?
            for try await (capital, reported, tradeCount) in header.decode((Decimal?, String?, Int).self) {
                var inputs = StatisticsInputs(startingCapital: capital)
                inputs.reportedStatistics = try reported.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
                found = (inputs, tradeCount)
            }
            guard let found else { return nil }
            var inputs = found.inputs
            inputs.columns = try await storedColumns(backtestID: backtestID, tradeCount: found.tradeCount)
            return inputs
        }
    }

    /// The stored columns of a backtest, its chunks appended in order; nil when there are none, when one has
    /// another layout version, or when they do not add up to the backtest's `tradeCount` (statistics then
    /// come from SQL). Damaged bytes or a missing chunk are an error.
    func storedColumns(backtestID: UUID, tradeCount: Int) async throws -> TradeColumns? {
        let rows = try await client.query(
            "SELECT chunk, version, data FROM trade_columns WHERE backtest_id = \(backtestID) ORDER BY chunk",
            logger: logger)
        var columns = TradeColumns()
        var expected = 0
        var usable = true
        for try await (chunk, version, data) in rows.decode((Int, Int32, ByteBuffer).self) {
            guard chunk == expected else {
                throw PipsightError(.database, "chunk \(expected) of the stored trade columns is missing; re-ingest the backtest")
            }
            expected += 1
            // Keep reading to the end of the rows (the query is drained), but stop decoding.
            guard usable, version == TradeColumns.storageVersion, let part = try TradeColumns(stored: data) else {
                usable = false
                continue
            }
            if !columns.append(chunk: part) { usable = false }
        }
        guard expected > 0, usable else { return nil }
        guard columns.count == tradeCount else {
            logger.warning("stored trade columns do not match the trade count; computing from the rows", metadata: [
                "backtest.id": "\(backtestID)", "columns.trades": "\(columns.count)", "trades": "\(tradeCount)",
            ])
            return nil
        }
        return columns
    }

    /// The columnar figures plus the equity drawdown from the stored events; nil when the inputs have no
    /// usable columns (the caller falls back to SQL).
    func columnarStatistics(
        backtestID: UUID, inputs: StatisticsInputs, breakdowns dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> ColumnarStatistics.Result? {
        guard let columns = inputs.columns,
              var result = ColumnarStatistics.compute(
                  columns, startingCapital: inputs.startingCapital, breakdowns: dimensions, timeZone: timeZone)
        else { return nil }
        let start = result.statistics.startingBalance
        if let equity = try await analyticsTransaction("reading the equity of backtest \(backtestID)", { db in
            try await equityDrawdown(on: db, backtestID: backtestID, startingBalance: start)
        }) {
            result.statistics.maxEquityDrawdown = equity.amount
            result.statistics.maxEquityDrawdownPercent = equity.percent
        }
        return result
    }

    /// The balance reconciliation of a columnar result: its counts, and the listed differences named by
    /// their trade's position id.
    func balanceReconciliation(backtestID: UUID, result: ColumnarStatistics.Result) async throws -> ReconciliationReport? {
        guard let checked = result.balancesChecked else { return nil }
        guard !result.balanceDifferences.isEmpty else { return ReconciliationReport(checked: checked, differences: []) }
        let seqs = result.balanceDifferences.map(\.seq)
        var positions: [Int: String] = [:]
        try await database("naming the differing balances of backtest \(backtestID)") {
            let rows = try await client.query(
                "SELECT seq, position_id FROM trades WHERE backtest_id = \(backtestID) AND seq = ANY(\(seqs))",
                logger: logger)
            for try await (seq, position) in rows.decode((Int, String).self) { positions[seq] = position }
        }
        let differences = result.balanceDifferences.map { difference in
            ReconciliationCheck(
                metric: "trades[position \(positions[difference.seq] ?? "#\(difference.seq)")].balance",
                reported: difference.reported, computed: difference.computed, tolerance: Reconciliation.moneyTolerance)
        }
        return ReconciliationReport(checked: checked, differences: differences, differing: result.balancesDiffering)
    }
}
