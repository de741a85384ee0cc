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

    /// The inputs of an existing backtest, nil when there is no such backtest.
    func statisticsInputs(backtestID: UUID) async throws -> StatisticsInputs? {
        try await database("reading the trade columns of backtest \(backtestID)") {
            let rows = try await client.query(
                """
                SELECT b.starting_capital, b.reported_statistics::text, c.version, c.data
                FROM backtests b LEFT JOIN trade_columns c ON c.backtest_id = b.id
                WHERE b.id = \(backtestID)
                """, logger: logger)
            for try await (capital, reported, version, data) in rows.decode((Decimal?, String?, Int32?, ByteBuffer?).self) {
                var inputs = StatisticsInputs(startingCapital: capital)
                inputs.reportedStatistics = try reported.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
                if let data, version == TradeColumns.storageVersion {
                    inputs.columns = try TradeColumns(stored: data)
                }
                return inputs
            }
            return nil
        }
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
