import Foundation
import PipsightCore

/// The balance curve of trades in close-time order: per trade, per UTC day, and its drawdown periods.
struct EquitySeries {
    let trades: [ClosedTrade]
    /// Known starting balance (given or derived), nil when unknown.
    let startingBalance: Decimal?

    init(trades: [Trade], startingBalance: Decimal?) {
        let ordered = ClosedTrade.ordered(trades)
        self.init(ordered: ordered, startingBalance: ClosedTrade.startingBalance(ordered, given: startingBalance))
    }

    init(ordered: [ClosedTrade], startingBalance: Decimal?) {
        trades = ordered
        self.startingBalance = startingBalance
    }

    func points() -> [EquityPoint] {
        var balance = startingBalance ?? 0
        var peak = balance
        var result: [EquityPoint] = []
        result.reserveCapacity(trades.count)
        for (index, closed) in trades.enumerated() {
            balance += closed.net
            peak = max(peak, balance)
            result.append(EquityPoint(
                index: index, positionId: closed.trade.positionId, time: closed.trade.closeTime, netProfit: closed.net,
                balance: balance, drawdown: peak - balance))
        }
        return result
    }

    /// Every UTC calendar day from the first close to the last, days without a close included.
    func daily() -> [DailyEquityPoint] {
        guard let first = trades.first, let last = trades.last else { return [] }
        let firstDay = UTCDay.number(of: first.trade.closeTime)
        let lastDay = UTCDay.number(of: last.trade.closeTime)
        var nets = [Decimal](repeating: 0, count: lastDay - firstDay + 1)
        var counts = [Int](repeating: 0, count: nets.count)
        for closed in trades {
            let day = UTCDay.number(of: closed.trade.closeTime) - firstDay
            nets[day] += closed.net
            counts[day] += 1
        }
        var balance = startingBalance ?? 0
        var result: [DailyEquityPoint] = []
        result.reserveCapacity(nets.count)
        for (offset, net) in nets.enumerated() {
            let opening = balance
            balance += net
            let dailyReturn = startingBalance != nil && opening > 0 ? Money.double(net) / Money.double(opening) : nil
            result.append(DailyEquityPoint(
                date: UTCDay.text(firstDay + offset), tradeCount: counts[offset], netProfit: net, balance: balance,
                dailyReturn: dailyReturn))
        }
        return result
    }

    /// Periods below a peak of the per-trade curve.
    func drawdownPeriods() -> [DrawdownPeriod] {
        DrawdownPeriods.periods(
            of: points(), startingBalance: startingBalance, firstOpen: trades.map(\.trade.openTime).min())
    }
}
