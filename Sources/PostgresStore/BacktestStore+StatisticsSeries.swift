import Analytics
import Foundation
import PipsightCore
import PostgresNIO

/// The SQL behind the equity curve: running balances per trade and per UTC day.
extension BacktestStore {
    /// The balance after each trade in close-time order, with the fall below the running peak.
    func equityPoints(on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?) async throws -> [EquityPoint] {
        let rows = try await db.query(
            """
            WITH balances AS (
                SELECT position_id, close_time, seq, COALESCE(net_profit, 0) AS n,
                       COALESCE(\(startingBalance)::numeric, 0)
                       + sum(COALESCE(net_profit, 0)) OVER (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING) AS balance
                FROM trades WHERE backtest_id = \(backtestID)
            )
            SELECT position_id, close_time, n, balance,
                   greatest(COALESCE(\(startingBalance)::numeric, 0),
                            max(balance) OVER (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING)) - balance
            FROM balances ORDER BY close_time, seq
            """, logger: logger)
        var points: [EquityPoint] = []
        for try await (id, time, net, balance, drawdown) in rows.decode((String, Date, Decimal, Decimal, Decimal).self) {
            points.append(EquityPoint(
                index: points.count, positionId: id, time: time, netProfit: net, balance: balance, drawdown: drawdown))
        }
        return points
    }

    /// Every UTC day from the first close to the last (empty days included), with its closes, net profit,
    /// closing balance and return over the opening balance.
    func dailySeries(on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?) async throws -> [DailyEquityPoint] {
        let rows = try await db.query(
            """
            WITH days AS (
                SELECT (close_time AT TIME ZONE 'UTC')::date AS day, count(*) AS trades,
                       sum(COALESCE(net_profit, 0)) AS n
                FROM trades WHERE backtest_id = \(backtestID) GROUP BY 1
            ), span AS (
                SELECT generate_series(min(day), max(day), interval '1 day')::date AS day FROM days
            ), filled AS (
                SELECT span.day, COALESCE(days.trades, 0) AS trades, COALESCE(days.n, 0) AS n
                FROM span LEFT JOIN days USING (day)
            ), balances AS (
                SELECT day, trades, n,
                       COALESCE(\(startingBalance)::numeric, 0) + sum(n) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS balance
                FROM filled
            )
            SELECT to_char(day, 'YYYY-MM-DD'), trades::integer, n, balance, balance - n FROM balances ORDER BY day
            """, logger: logger)
        var series: [DailyEquityPoint] = []
        for try await (day, trades, net, balance, opening) in rows.decode((String, Int, Decimal, Decimal, Decimal).self) {
            let dailyReturn = startingBalance != nil && opening > 0
                ? NSDecimalNumber(decimal: net).doubleValue / NSDecimalNumber(decimal: opening).doubleValue : nil
            series.append(DailyEquityPoint(
                date: day, tradeCount: trades, netProfit: net, balance: balance, dailyReturn: dailyReturn))
        }
        return series
    }
}
