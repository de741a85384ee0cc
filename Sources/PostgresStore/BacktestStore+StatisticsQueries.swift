import Analytics
import Foundation
import PipsightCore
import PostgresNIO

/// The SQL behind `statistics(backtestID:)`. Every query reads one backtest's rows and binds its values.
extension BacktestStore {
    /// Longest runs of winners and losers per side ("all", "buy", "sell"), from running counts over the
    /// close order. The same ordered pass checks every exported balance against the starting balance plus
    /// the running net profit (the balance reconciliation's counts; nil without a starting balance).
    func consecutiveRuns(
        on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?
    ) async throws -> (runs: [String: ConsecutiveRuns], balances: BalanceCheck?) {
        // Consecutive runs in one ordered pass, no gaps-and-islands sorts: level 1 counts, for each side,
        // the winners (losers) so far; level 2 keeps that count as it stood at the side's last non-winner
        // (non-loser); a run's length is the difference, its maximum the answer.
        var runs: [String: ConsecutiveRuns] = [:]
        var balances: BalanceCheck?
        let tolerance = Reconciliation.moneyTolerance
        let runRows = try await db.query(
            """
            WITH level1 AS (
                SELECT b, s, close_time, seq, balance, sum(n) OVER w AS cumulative,
                       count(*) FILTER (WHERE s > 0) OVER w AS aw, count(*) FILTER (WHERE s < 0) OVER w AS al,
                       count(*) FILTER (WHERE s > 0 AND b) OVER w AS bw, count(*) FILTER (WHERE s < 0 AND b) OVER w AS bl,
                       count(*) FILTER (WHERE s > 0 AND NOT b) OVER w AS sw,
                       count(*) FILTER (WHERE s < 0 AND NOT b) OVER w AS sl
                FROM (
                    SELECT direction = 'buy' AS b, sign(COALESCE(net_profit, 0))::integer AS s, close_time, seq,
                           balance, COALESCE(net_profit, 0) AS n
                    FROM trades WHERE backtest_id = \(backtestID)
                ) t
                WINDOW w AS (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING)
            ), level2 AS (
                SELECT b, s, balance, cumulative, aw, al, bw, bl, sw, sl,
                       max(aw) FILTER (WHERE s <= 0) OVER w AS aw0, max(al) FILTER (WHERE s >= 0) OVER w AS al0,
                       max(bw) FILTER (WHERE b AND s <= 0) OVER w AS bw0, max(bl) FILTER (WHERE b AND s >= 0) OVER w AS bl0,
                       max(sw) FILTER (WHERE NOT b AND s <= 0) OVER w AS sw0,
                       max(sl) FILTER (WHERE NOT b AND s >= 0) OVER w AS sl0
                FROM level1
                WINDOW w AS (ORDER BY close_time, seq ROWS UNBOUNDED PRECEDING)
            )
            SELECT COALESCE(max(aw - COALESCE(aw0, 0)) FILTER (WHERE s > 0), 0)::integer,
                   COALESCE(max(al - COALESCE(al0, 0)) FILTER (WHERE s < 0), 0)::integer,
                   COALESCE(max(bw - COALESCE(bw0, 0)) FILTER (WHERE b AND s > 0), 0)::integer,
                   COALESCE(max(bl - COALESCE(bl0, 0)) FILTER (WHERE b AND s < 0), 0)::integer,
                   COALESCE(max(sw - COALESCE(sw0, 0)) FILTER (WHERE NOT b AND s > 0), 0)::integer,
                   COALESCE(max(sl - COALESCE(sl0, 0)) FILTER (WHERE NOT b AND s < 0), 0)::integer,
                   count(balance)::integer,
                   (count(*) FILTER (WHERE abs(balance - COALESCE(\(startingBalance)::numeric, 0) - cumulative)
                                           > \(tolerance)::numeric))::integer
            FROM level2
            """, logger: logger)
        for try await row in runRows.decode((Int, Int, Int, Int, Int, Int, Int, Int).self) {
            runs["all"] = (row.0, row.1)
            runs[TradeDirection.buy.rawValue] = (row.2, row.3)
            runs[TradeDirection.sell.rawValue] = (row.4, row.5)
            if startingBalance != nil { balances = BalanceCheck(checked: row.6, differing: row.7) }
        }
        return (runs, balances)
    }

    /// How many exported balances were checked against the running balance, and how many differ.
    struct BalanceCheck: Sendable {
        var checked: Int
        var differing: Int
    }

    /// Per-side totals (`GROUP BY ROLLUP (direction)`), keyed "all", "buy", "sell".
    func sideTotals(on db: PostgresConnection, backtestID: UUID) async throws -> [SideTotals] {
        var totals: [SideTotals] = []
        let rows = try await db.query(
            """
            SELECT COALESCE(direction, 'all'), count(*)::integer, (count(*) FILTER (WHERE n > 0))::integer,
                   (count(*) FILTER (WHERE n < 0))::integer, COALESCE(sum(n), 0),
                   COALESCE(sum(n) FILTER (WHERE n > 0), 0), COALESCE(sum(n) FILTER (WHERE n < 0), 0),
                   COALESCE(sum(commissions), 0), COALESCE(sum(swaps), 0),
                   COALESCE(max(n) FILTER (WHERE n > 0), 0), COALESCE(min(n) FILTER (WHERE n < 0), 0),
                   avg(date_part('epoch', close_time - open_time))
            FROM (
                SELECT direction, COALESCE(net_profit, 0) AS n, commissions, swaps, open_time, close_time
                FROM trades WHERE backtest_id = \(backtestID)
            ) t
            GROUP BY ROLLUP (direction)
            """, logger: logger)
        for try await row in rows.decode(
            (String, Int, Int, Int, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Double?).self
        ) {
            totals.append(row)
        }
        return totals
    }

    /// Longest run of winners and of losers.
    typealias ConsecutiveRuns = (wins: Int, losses: Int)
    /// One row of `sideTotals`: side, count, winners, losers, net, gross profit, gross loss, commissions,
    /// swaps, largest win, largest loss, average holding seconds.
    typealias SideTotals = (String, Int, Int, Int, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Double?)

    /// Per-side totals and runs turned into `DirectionStatistics` by the shared `fromTotals`.
    static func sideStatistics(totals: [SideTotals], runs: [String: ConsecutiveRuns]) -> BacktestStatistics {
        var result = BacktestStatistics()
        for row in totals {
            let run = runs[row.0] ?? (0, 0)
            let side = DirectionStatistics.fromTotals(
                tradeCount: row.1, winningTrades: row.2, losingTrades: row.3, netProfit: row.4, grossProfit: row.5,
                grossLoss: row.6, commissions: row.7, swaps: row.8, largestWin: row.9, largestLoss: row.10,
                maxConsecutiveWins: run.wins, maxConsecutiveLosses: run.losses, averageHoldingSeconds: row.11)
            switch row.0 {
            case "all": result.all = side
            case TradeDirection.buy.rawValue: result.long = side
            default: result.short = side
            }
        }
        return result
    }

    /// The largest fall of the balance after every closing deal (trade rows for single-deal trades, deal
    /// rows for partial closes) below the running peak, the starting balance being the first peak.
    func balanceDrawdown(on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?) async throws -> (amount: Decimal, percent: Double?) {
        let rows = try await db.query(
            """
            WITH changes AS (
                SELECT close_time AS t, seq AS o, 0 AS d, COALESCE(net_profit, 0) AS n
                FROM trades WHERE backtest_id = \(backtestID) AND deal_count <= 1
                UNION ALL
                SELECT close_time, trade_seq, seq, COALESCE(net_profit, 0)
                FROM deals WHERE backtest_id = \(backtestID)
            ), balances AS (
                SELECT t, o, d, COALESCE(\(startingBalance)::numeric, 0)
                       + sum(n) OVER (ORDER BY t, o, d ROWS UNBOUNDED PRECEDING) AS balance
                FROM changes
            ), peaks AS (
                SELECT t, o, d, balance,
                       greatest(COALESCE(\(startingBalance)::numeric, 0),
                                max(balance) OVER (ORDER BY t, o, d ROWS UNBOUNDED PRECEDING)) AS peak
                FROM balances
            )
            SELECT peak - balance, peak FROM peaks WHERE peak > balance ORDER BY peak - balance DESC, t, o, d LIMIT 1
            """, logger: logger)
        for try await (fall, peak) in rows.decode((Decimal, Decimal).self) {
            return (fall, startingBalance != nil && peak > 0 ? Self.percent(fall, of: peak) : nil)
        }
        return (0, nil)
    }

    /// The largest fall of the stored events' equity below its running peak; nil without equity.
    func equityDrawdown(on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?) async throws -> (amount: Decimal, percent: Double?)? {
        let rows = try await db.query(
            """
            WITH samples AS (
                SELECT seq, equity FROM events WHERE backtest_id = \(backtestID) AND equity IS NOT NULL
            ), peaks AS (
                SELECT seq, equity,
                       greatest(COALESCE(\(startingBalance)::numeric, first_value(equity) OVER (ORDER BY seq)),
                                max(equity) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING)) AS peak
                FROM samples
            )
            SELECT peak - equity, peak FROM peaks ORDER BY peak - equity DESC, seq LIMIT 1
            """, logger: logger)
        for try await (fall, peak) in rows.decode((Decimal, Decimal).self) {
            guard fall > 0 else { return (0, 0) }
            return (fall, peak > 0 ? Self.percent(fall, of: peak) : nil)
        }
        return nil
    }

    /// Day count and Sharpe/Sortino of the daily series aggregated in PostgreSQL (`DailyReturns` applies
    /// the formula to the few thousand daily returns); ratios nil unless every day has a return.
    func dailyRatios(on db: PostgresConnection, backtestID: UUID, startingBalance: Decimal?) async throws -> (days: Int, sharpe: Double?, sortino: Double?) {
        let daily = try await dailySeries(on: db, backtestID: backtestID, startingBalance: startingBalance)
        let returns = daily.compactMap(\.dailyReturn)
        guard returns.count == daily.count else { return (daily.count, nil, nil) }
        return (daily.count, DailyReturns.sharpe(returns), DailyReturns.sortino(returns))
    }

    /// Seconds with at least one position open, first open, last close. In open order, each position adds
    /// the part of its interval after the latest close of the positions opened before it, which sums to
    /// the length of the union of the intervals in one window pass.
    func exposure(on db: PostgresConnection, backtestID: UUID) async throws -> (seconds: Double, firstOpen: Date?, lastClose: Date?) {
        let rows = try await db.query(
            """
            SELECT COALESCE(sum(greatest(date_part('epoch', close_time - greatest(open_time, COALESCE(previous_end, open_time))), 0)), 0),
                   min(open_time), max(close_time)
            FROM (
                SELECT open_time, close_time,
                       max(close_time) OVER (ORDER BY open_time, seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                           AS previous_end
                FROM trades WHERE backtest_id = \(backtestID)
            ) ordered
            """, logger: logger)
        for try await row in rows.decode((Double, Date?, Date?).self) { return row }
        return (0, nil, nil)
    }

    static func percent(_ fall: Decimal, of peak: Decimal) -> Double {
        NSDecimalNumber(decimal: fall).doubleValue / NSDecimalNumber(decimal: peak).doubleValue * 100
    }
}
