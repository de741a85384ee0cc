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

/// Days since 1970-01-01 in UTC, and their `YYYY-MM-DD` text.
enum UTCDay {
    static func number(of date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    static func text(_ day: Int) -> String {
        // Civil-from-days (Howard Hinnant), proleptic Gregorian.
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let dayOfMonth = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", year, month, dayOfMonth)
    }
}
