import Analytics
import Foundation
import PipsightCore
import PostgresNIO

/// The SQL behind `breakdown(backtestID:by:timeZone:)`: one scan, one grouping set per dimension.
extension BacktestStore {
    /// Several breakdowns of one backtest in one query (`GROUPING SETS`), keyed by dimension. Weekday and
    /// hour read the open time, month the close time, all in `timeZone` (PostgreSQL's IANA database).
    /// From the columns stored at ingest when the backtest has them, else in SQL (`sqlBreakdowns`).
    public func breakdowns(
        backtestID: UUID, by dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> [BreakdownDimension: [BreakdownRow]] {
        guard !dimensions.isEmpty else { return [:] }
        // The same zone names are accepted whichever engine answers: those PostgreSQL knows (a 400 otherwise).
        _ = try await postgresTimeZone(timeZone)
        if let inputs = try await statisticsInputs(backtestID: backtestID), let columns = inputs.columns,
           let result = ColumnarStatistics.compute(
               columns, startingCapital: inputs.startingCapital, breakdowns: dimensions, timeZone: timeZone) {
            return result.breakdowns
        }
        return try await sqlBreakdowns(backtestID: backtestID, by: dimensions, timeZone: timeZone)
    }

    /// The breakdowns in SQL alone: one scan, one grouping set per dimension.
    public func sqlBreakdowns(
        backtestID: UUID, by dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> [BreakdownDimension: [BreakdownRow]] {
        let wanted = BreakdownDimension.allCases.filter(dimensions.contains)
        guard !wanted.isEmpty else { return [:] }
        // Only fixed SQL text chosen from the enum is spliced in; the id and the zone are bound.
        // Groups on cheap values (integers, a truncated timestamp, the text columns as stored); the keys are
        // formatted after aggregation, on the few result rows.
        let columns = wanted.enumerated().map { "\(Self.groupExpression($0.element)) AS k\($0.offset)" }.joined(separator: ", ")
        let sets = wanted.indices.map { "(k\($0))" }.joined(separator: ", ")
        let which = wanted.indices.map { "WHEN GROUPING(k\($0)) = 0 THEN \($0)" }.joined(separator: " ")
        let keys = wanted.indices.map { "k\($0)" }.joined(separator: ", ")
        let formatted = wanted.enumerated().map { "WHEN \($0.offset) THEN \(Self.keyFormat($0.element, column: "k\($0.offset)"))" }
            .joined(separator: " ")
        let zone = try await postgresTimeZone(timeZone)
        let logger = self.logger
        let decoded = try await analyticsTransaction("computing breakdowns of backtest \(backtestID)") { db in
            let rows = try await db.query(
                """
                SELECT dimension, CASE dimension \(unescaped: formatted) END, trades, winners, losers, net, profit, loss
                FROM (
                SELECT CASE \(unescaped: which) END AS dimension, \(unescaped: keys), count(*)::integer AS trades,
                       (count(*) FILTER (WHERE n > 0))::integer AS winners, (count(*) FILTER (WHERE n < 0))::integer AS losers,
                       sum(n) AS net, COALESCE(sum(n) FILTER (WHERE n > 0), 0) AS profit,
                       COALESCE(sum(n) FILTER (WHERE n < 0), 0) AS loss
                FROM (
                    SELECT \(unescaped: columns), COALESCE(net_profit, 0) AS n
                    FROM (
                        SELECT net_profit, symbol, direction, close_reason, open_time AT TIME ZONE \(zone) AS open_local,
                               close_time AT TIME ZONE \(zone) AS close_local,
                               date_part('epoch', close_time - open_time) AS held
                        FROM trades WHERE backtest_id = \(backtestID)
                    ) local
                ) keyed
                GROUP BY GROUPING SETS (\(unescaped: sets))
                ) grouped
                """, logger: logger)
            var decoded: [(Int, BreakdownRow)] = []
            for try await row in rows.decode((Int, String, Int, Int, Int, Decimal, Decimal, Decimal).self) {
                guard wanted.indices.contains(row.0) else { continue }
                decoded.append((row.0, BreakdownRow(
                    key: row.1, label: BreakdownKeys.label(of: row.1, dimension: wanted[row.0]), tradeCount: row.2,
                    winningTrades: row.3, losingTrades: row.4, netProfit: row.5, grossProfit: row.6, grossLoss: row.7)))
            }
            return decoded
        }
        var result: [BreakdownDimension: [BreakdownRow]] = [:]
        for dimension in wanted { result[dimension] = [] }
        for (index, row) in decoded { result[wanted[index], default: []].append(row) }
        for (dimension, rows) in result {
            result[dimension] = rows.sorted { BreakdownKeys.precedes($0.key, $1.key, dimension: dimension) }
        }
        return result
    }

    /// What a dimension groups on, as SQL over the `local` subquery's columns.
    static func groupExpression(_ dimension: BreakdownDimension) -> String {
        switch dimension {
        case .weekday: return "date_part('isodow', open_local)::integer"
        case .hour: return "date_part('hour', open_local)::integer"
        case .month: return "date_trunc('month', close_local)"
        case .symbol: return "symbol"
        case .direction: return "direction"
        case .exitReason: return "close_reason"
        case .holdingTime:
            let cases = BreakdownKeys.holdingBuckets.enumerated().compactMap { index, bucket in
                bucket.upperBound.map { "WHEN held < \(Int($0)) THEN \(index)" }
            }
            return "CASE \(cases.joined(separator: " ")) ELSE \(BreakdownKeys.holdingBuckets.count - 1) END"
        }
    }

    /// The breakdown key (`BreakdownRow.key`) of a grouped value.
    static func keyFormat(_ dimension: BreakdownDimension, column: String) -> String {
        switch dimension {
        case .weekday: return "\(column)::text"
        case .hour: return "lpad(\(column)::text, 2, '0')"
        case .month: return "to_char(\(column), 'YYYY-MM')"
        case .symbol: return "COALESCE(\(column), '\(BreakdownKeys.noSymbol)')"
        case .direction, .exitReason: return column
        case .holdingTime:
            let keys = BreakdownKeys.holdingBuckets.map { "'\($0.key)'" }.joined(separator: ", ")
            return "(ARRAY[\(keys)])[\(column) + 1]"
        }
    }
}
