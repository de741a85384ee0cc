import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// The trades of a backtest in close-time order (ties by stored order). Deals are read back for partial
    /// closes only (a single-deal trade is stored as its trade row alone, so its `deals` is empty).
    public func trades(backtestID: UUID) async throws -> [Trade] {
        try await database("reading the trades of backtest \(backtestID)") {
            var deals: [Int: [Deal]] = [:]
            let dealRows = try await client.query(
                """
                SELECT trade_seq, deal_id, close_time, close_price, volume, quantity, gross_profit, net_profit,
                       commissions, swaps, pips, balance
                FROM deals WHERE backtest_id = \(backtestID) ORDER BY trade_seq, seq
                """, logger: logger)
            for try await row in dealRows.decode(
                (Int, String, Date, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?,
                 ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?).self
            ) {
                deals[row.0, default: []].append(Deal(
                    dealId: row.1, closeTime: row.2, closePrice: row.3?.value, volume: row.4?.value,
                    quantity: row.5?.value, grossProfit: row.6?.value, netProfit: row.7?.value,
                    commissions: row.8?.value, swaps: row.9?.value, pips: row.10?.value, balance: row.11?.value))
            }
            var trades: [Trade] = []
            let rows = try await client.query(
                """
                SELECT seq, position_id, symbol, label, direction, open_time, close_time, entry_price, close_price,
                       volume, quantity, gross_profit, net_profit, commissions, swaps, pips, balance,
                       initial_stop_loss, initial_take_profit, final_stop_loss, final_take_profit, close_reason
                FROM trades WHERE backtest_id = \(backtestID) ORDER BY close_time, seq
                """, logger: logger)
            for try await row in rows.decode(
                (Int, String, String?, String?, String, Date, Date, ExactDecimal?, ExactDecimal?, ExactDecimal?,
                 ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?,
                 ExactDecimal?, ExactDecimal?, ExactDecimal?, ExactDecimal?, String).self
            ) {
                trades.append(Trade(
                    positionId: row.1, symbol: row.2, label: row.3, direction: TradeDirection(text: row.4) ?? .buy,
                    openTime: row.5, closeTime: row.6, entryPrice: row.7?.value, closePrice: row.8?.value,
                    volume: row.9?.value, quantity: row.10?.value, grossProfit: row.11?.value,
                    netProfit: row.12?.value, commissions: row.13?.value, swaps: row.14?.value, pips: row.15?.value,
                    balance: row.16?.value, initialStopLoss: row.17?.value, initialTakeProfit: row.18?.value,
                    finalStopLoss: row.19?.value, finalTakeProfit: row.20?.value,
                    closeReason: CloseReason(rawValue: row.21) ?? .unknown,
                    deals: deals[row.0] ?? []))
            }
            return trades
        }
    }

    /// The optimisation passes of a backtest (an `.optres` import), in stored order.
    public func optimisationPasses(backtestID: UUID) async throws -> [OptimisationPass] {
        try await database("reading the optimisation passes of backtest \(backtestID)") {
            let decoder = JSONDecoder()
            var passes: [OptimisationPass] = []
            let rows = try await client.query(
                """
                SELECT pass_id, status, equity, net_profit, trades, winning_trades, profit_factor, average_trade,
                       max_equity_drawdown_absolute, max_equity_drawdown_fraction, parameters::text, raw::text
                FROM optimisation_passes WHERE backtest_id = \(backtestID) ORDER BY seq
                """, logger: logger)
            for try await row in rows.decode(
                (Int64, String?, Decimal?, Decimal?, Int64?, Int64?, Double?, Decimal?, Decimal?, Double?, String, String).self
            ) {
                let parameters = (try? decoder.decode([String: String].self, from: Data(row.10.utf8))) ?? [:]
                let raw = try decoder.decode(JSONValue.self, from: Data(row.11.utf8))
                passes.append(OptimisationPass(
                    passId: row.0, status: row.1, equity: row.2, netProfit: row.3, trades: row.4, winningTrades: row.5,
                    profitFactor: row.6, averageTrade: row.7, maxEquityDrawdownAbsolute: row.8,
                    maxEquityDrawdownFraction: row.9, parameters: parameters, raw: raw))
            }
            return passes
        }
    }
}
