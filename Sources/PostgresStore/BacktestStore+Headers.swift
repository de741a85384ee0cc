import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// The stored backtests with these ids, in the order asked (every stored backtest, oldest first, when `ids`
    /// is empty; unknown ids are left out), read from `backtests` alone in one query: without the totals that
    /// `list` and `summary` sum over every trade, so `netProfit`, `firstTradeOpen` and `lastTradeClose` are nil
    /// and `winningTrades` is 0. For readers that need only the header (an answer's facts, which compute the
    /// figures themselves), saving a scan of the trades on every question.
    public func headers(ids: [UUID]) async throws -> [BacktestSummary] {
        try await database("reading backtests") {
            let rows = try await client.query(
                """
                SELECT id, source_name, source_sha256, format, symbol, period, cbot_name, deposit_asset,
                       starting_capital, testing_start, testing_end, trade_count, event_count, parameter_count,
                       pass_count, created_at
                FROM backtests WHERE cardinality(\(ids)::uuid[]) = 0 OR id = ANY(\(ids)::uuid[])
                ORDER BY created_at, id
                """, logger: logger)
            var result: [BacktestSummary] = []
            for try await row in rows.decode(
                (UUID, String, String, String, String?, String?, String?, String?, Decimal?, Date?, Date?, Int, Int, Int,
                 Int, Date).self
            ) {
                result.append(BacktestSummary(
                    id: row.0, sourceName: row.1, sourceSHA256: row.2, format: row.3, symbol: row.4, period: row.5,
                    cBotName: row.6, depositAsset: row.7, startingCapital: row.8, testingStart: row.9,
                    testingEnd: row.10, tradeCount: row.11, eventCount: row.12, parameterCount: row.13,
                    passCount: row.14, netProfit: nil, winningTrades: 0, firstTradeOpen: nil, lastTradeClose: nil,
                    createdAt: row.15))
            }
            guard !ids.isEmpty else { return result }
            let byID = Dictionary(result.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return ids.compactMap { byID[$0] }
        }
    }
}
