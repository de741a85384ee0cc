import Foundation
import PostgresNIO

extension BacktestStore {
    /// Trades and net profit by open weekday and open hour in `timeZone` (PostgreSQL's IANA database), one
    /// grouped scan; nil when there is no such backtest. Trades without a net profit count as 0, as in the
    /// breakdowns.
    public func weekdayHourHeatmap(backtestID: UUID, timeZone: TimeZone) async throws -> WeekdayHourHeatmap? {
        guard try await summary(id: backtestID) != nil else { return nil }
        let zone = try await postgresTimeZone(timeZone)
        let logger = self.logger
        let cells = try await analyticsTransaction("computing the weekday × hour heat map of backtest \(backtestID)") { db in
            let rows = try await db.query(
                """
                SELECT date_part('isodow', open_local)::integer AS weekday, date_part('hour', open_local)::integer AS hour,
                       count(*)::integer, COALESCE(sum(n), 0)
                FROM (
                    SELECT open_time AT TIME ZONE \(zone) AS open_local, COALESCE(net_profit, 0) AS n
                    FROM trades WHERE backtest_id = \(backtestID)
                ) local
                GROUP BY 1, 2 ORDER BY 1, 2
                """, logger: logger)
            var cells: [WeekdayHourHeatmap.Cell] = []
            for try await (weekday, hour, count, net) in rows.decode((Int, Int, Int, Decimal).self) {
                cells.append(.init(weekday: weekday, hour: hour, tradeCount: count, netProfit: net))
            }
            return cells
        }
        return WeekdayHourHeatmap(backtestId: backtestID, timeZone: zone, cells: cells)
    }
}
