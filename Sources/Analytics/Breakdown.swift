import Foundation
import PipsightCore

/// Groups trades for `TradeAnalytics.breakdown`. Keys and labels are shared with the SQL version through
/// `BreakdownKeys`.
enum Breakdown {
    static func rows(of trades: [Trade], by dimension: BreakdownDimension, timeZone: TimeZone) -> [BreakdownRow] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var groups: [String: (count: Int, winners: Int, losers: Int, net: Decimal, profit: Decimal, loss: Decimal)] = [:]
        for trade in trades {
            let key = key(of: trade, dimension: dimension, calendar: calendar)
            let net = trade.netProfit ?? 0
            var group = groups[key] ?? (0, 0, 0, 0, 0, 0)
            group.count += 1
            group.net += net
            if net > 0 {
                group.winners += 1
                group.profit += net
            } else if net < 0 {
                group.losers += 1
                group.loss += net
            }
            groups[key] = group
        }
        return groups.map { key, group in
            BreakdownRow(
                key: key, label: BreakdownKeys.label(of: key, dimension: dimension), tradeCount: group.count,
                winningTrades: group.winners, losingTrades: group.losers, netProfit: group.net,
                grossProfit: group.profit, grossLoss: group.loss)
        }
        .sorted { BreakdownKeys.precedes($0.key, $1.key, dimension: dimension) }
    }

    private static func key(of trade: Trade, dimension: BreakdownDimension, calendar: Calendar) -> String {
        switch dimension {
        case .weekday:
            // Calendar weekday: 1 = Sunday … 7 = Saturday; ISO: 1 = Monday … 7 = Sunday.
            let weekday = calendar.component(.weekday, from: trade.openTime)
            return String((weekday + 5) % 7 + 1)
        case .hour:
            return String(format: "%02d", calendar.component(.hour, from: trade.openTime))
        case .month:
            let parts = calendar.dateComponents([.year, .month], from: trade.closeTime)
            return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
        case .symbol:
            return trade.symbol ?? BreakdownKeys.noSymbol
        case .direction:
            return trade.direction.rawValue
        case .holdingTime:
            return BreakdownKeys.holdingBucket(seconds: trade.closeTime.timeIntervalSince(trade.openTime))
        case .exitReason:
            return trade.closeReason.rawValue
        }
    }
}
