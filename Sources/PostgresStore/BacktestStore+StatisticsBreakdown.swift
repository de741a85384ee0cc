import Analytics
import Foundation
import PipsightCore
import PostgresNIO

/// The SQL behind `breakdown(backtestID:by:timeZone:)`: one scan, one grouping set per dimension.
extension BacktestStore {
    /// Several breakdowns of one backtest in one query (`GROUPING SETS`), keyed by dimension. Weekday and
    /// hour read the open time, month the close time, all in `timeZone` (PostgreSQL's IANA database).
    public func breakdowns(
        backtestID: UUID, by dimensions: [BreakdownDimension], timeZone: TimeZone
    ) async throws -> [BreakdownDimension: [BreakdownRow]] {
        let wanted = BreakdownDimension.allCases.filter(dimensions.contains)
        guard !wanted.isEmpty else { return [:] }
        // Only fixed SQL text chosen from the enum is spliced in; the id and the zone are bound.
        let columns = wanted.enumerated().map { "\(Self.keyExpression($0.element)) AS k\($0.offset)" }.joined(separator: ", ")
        let sets = wanted.indices.map { "(k\($0))" }.joined(separator: ", ")
        let which = wanted.indices.map { "WHEN GROUPING(k\($0)) = 0 THEN \($0)" }.joined(separator: " ")
        let keys = wanted.indices.map { "k\($0)" }.joined(separator: ", ")
        let zone = timeZone.identifier
        let logger = self.logger
        let decoded = try await analyticsTransaction("computing breakdowns of backtest \(backtestID)") { db in
            let rows = try await db.query(
                """
                SELECT CASE \(unescaped: which) END, COALESCE(\(unescaped: keys)), count(*)::integer,
                       (count(*) FILTER (WHERE n > 0))::integer, (count(*) FILTER (WHERE n < 0))::integer,
                       sum(n), COALESCE(sum(n) FILTER (WHERE n > 0), 0), COALESCE(sum(n) FILTER (WHERE n < 0), 0)
                FROM (
                    SELECT \(unescaped: columns), COALESCE(net_profit, 0) AS n
                    FROM (
                        SELECT net_profit, symbol, direction, close_reason, open_time AT TIME ZONE \(zone) AS open_local,
                               close_time AT TIME ZONE \(zone) AS close_local,
                               extract(epoch FROM close_time - open_time) AS held
                        FROM trades WHERE backtest_id = \(backtestID)
                    ) local
                ) keyed
                GROUP BY GROUPING SETS (\(unescaped: sets))
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

    /// The grouping key of a dimension, as SQL over the `local` subquery's columns.
    static func keyExpression(_ dimension: BreakdownDimension) -> String {
        switch dimension {
        case .weekday: return "extract(isodow FROM open_local)::integer::text"
        case .hour: return "to_char(open_local, 'HH24')"
        case .month: return "to_char(close_local, 'YYYY-MM')"
        case .symbol: return "COALESCE(symbol, '\(BreakdownKeys.noSymbol)')"
        case .direction: return "direction"
        case .exitReason: return "close_reason"
        case .holdingTime:
            let cases = BreakdownKeys.holdingBuckets.compactMap { bucket in
                bucket.upperBound.map { "WHEN held < \(Int($0)) THEN '\(bucket.key)'" }
            }
            let last = BreakdownKeys.holdingBuckets[BreakdownKeys.holdingBuckets.count - 1].key
            return "CASE \(cases.joined(separator: " ")) ELSE '\(last)' END"
        }
    }
}
