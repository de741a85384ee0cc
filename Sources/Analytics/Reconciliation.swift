import Foundation
import PipsightCore

/// Compares computed statistics with the ones cTrader wrote into the export (report.json's
/// `tradeStatistics` and `equity`, kept in `BacktestHeader.reportedStatistics`) and with the balance column
/// of the trades. Tolerances absorb cTrader's rounding: money to the cent, ratios and percents to the
/// hundredth (cTrader truncates them), counts exactly.
public enum Reconciliation {
    /// Money: half a cent.
    public static let moneyTolerance = 0.005
    /// Profit factor, average trade and percents: one hundredth (cTrader truncates to two decimals).
    public static let hundredthTolerance = 0.01

    /// Checks every figure the export reports that Pipsight computes too.
    public static func compare(reported: JSONValue?, with statistics: BacktestStatistics) -> ReconciliationReport {
        ReconciliationReport(checks: checks(reported: reported, statistics: statistics))
    }

    /// Checks each trade's exported balance against the starting balance plus the cumulative net profit
    /// (trades in close-time order). Trades without an exported balance are skipped.
    public static func compareBalances(of trades: [Trade], startingBalance: Decimal?) -> ReconciliationReport {
        let points = TradeAnalytics.equityCurve(of: trades, startingBalance: startingBalance)
        let ordered = ClosedTrade.ordered(trades)
        guard ClosedTrade.startingBalance(ordered, given: startingBalance) != nil else { return ReconciliationReport(checks: []) }
        var checks: [ReconciliationCheck] = []
        for (point, closed) in zip(points, ordered) {
            guard let balance = closed.trade.balance else { continue }
            checks.append(ReconciliationCheck(
                metric: "trades[position \(closed.trade.positionId)].balance", reported: Money.double(balance),
                computed: Money.double(point.balance), tolerance: moneyTolerance))
        }
        return ReconciliationReport(checks: checks)
    }

    static func checks(reported: JSONValue?, statistics: BacktestStatistics) -> [ReconciliationCheck] {
        guard let root = reported?.objectValue else { return [] }
        var checks: [ReconciliationCheck] = []
        if let trade = root["tradeStatistics"]?.objectValue {
            let sides: [(String, DirectionStatistics)] = [
                ("all", statistics.all), ("long", statistics.long), ("short", statistics.short),
            ]
            let fields: [(key: String, tolerance: Double, value: (DirectionStatistics) -> Double?)] = [
                ("netProfit", moneyTolerance, { Money.double($0.netProfit) }),
                ("commissions", moneyTolerance, { Money.double($0.commissions) }),
                ("swaps", moneyTolerance, { Money.double($0.swaps) }),
                ("totalTrades", 0, { Double($0.tradeCount) }),
                ("winningTrades", 0, { Double($0.winningTrades) }),
                ("losingTrades", 0, { Double($0.losingTrades) }),
                ("largestWinningTrade", moneyTolerance, { Money.double($0.largestWin) }),
                ("largestLosingTrade", moneyTolerance, { Money.double($0.largestLoss) }),
                ("averageTrade", hundredthTolerance, { Money.double($0.averageTrade ?? 0) }),
                ("maxConsecutiveWinningTrades", 0, { Double($0.maxConsecutiveWins) }),
                ("maxConsecutiveLosingTrades", 0, { Double($0.maxConsecutiveLosses) }),
                ("profitFactor", hundredthTolerance, { $0.profitFactor }),
            ]
            for field in fields {
                guard let perSide = trade[field.key]?.objectValue else { continue }
                for (side, values) in sides {
                    guard let value = perSide[side] else { continue }
                    checks.append(ReconciliationCheck(
                        metric: "tradeStatistics.\(field.key).\(side)", reported: number(value),
                        computed: field.value(values), tolerance: field.tolerance))
                }
            }
        }
        if let equity = root["equity"]?.objectValue {
            let balance: [(String, Double, Double?)] = [
                ("maxBalanceDrawdownAbsolute", moneyTolerance, Money.double(statistics.maxBalanceDrawdown)),
                ("maxBalanceDrawdownPercent", hundredthTolerance, statistics.maxBalanceDrawdownPercent),
            ]
            var fields = balance
            if let amount = statistics.maxEquityDrawdown {
                fields.append(("maxEquityDrawdownAbsolute", moneyTolerance, Money.double(amount)))
                fields.append(("maxEquityDrawdownPercent", hundredthTolerance, statistics.maxEquityDrawdownPercent))
            }
            for (key, tolerance, computed) in fields {
                guard let value = equity[key] else { continue }
                checks.append(ReconciliationCheck(
                    metric: "equity.\(key)", reported: number(value), computed: computed, tolerance: tolerance))
            }
        }
        return checks
    }

    /// A JSON number, or nil (null, a string such as "Infinity", anything else).
    private static func number(_ value: JSONValue) -> Double? {
        if case .number(let number) = value, number.isFinite { return number }
        return nil
    }
}
