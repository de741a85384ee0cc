import Foundation
import PipsightCore

/// A trade reduced to what the metrics read, in close-time order.
struct ClosedTrade {
    var order: Int
    var trade: Trade
    /// `netProfit`, zero when the export has none.
    var net: Decimal
    var holdingSeconds: Double

    /// Trades sorted by close time, ties in the given order (the stored `seq`).
    static func ordered(_ trades: [Trade]) -> [ClosedTrade] {
        trades.enumerated()
            .map { ClosedTrade(order: $0.offset, trade: $0.element, net: $0.element.netProfit ?? 0,
                               holdingSeconds: $0.element.closeTime.timeIntervalSince($0.element.openTime)) }
            .sorted { ($0.trade.closeTime, $0.order) < ($1.trade.closeTime, $1.order) }
    }

    /// Balance changes: one per closing deal for a partial close (deals with their own net profit), else
    /// one for the trade. Sorted by time, then trade order, then deal order.
    static func balanceChanges(_ trades: [ClosedTrade]) -> [(time: Date, net: Decimal)] {
        var changes: [(time: Date, order: Int, deal: Int, net: Decimal)] = []
        changes.reserveCapacity(trades.count)
        for closed in trades {
            if closed.trade.deals.count > 1 {
                for (index, deal) in closed.trade.deals.enumerated() {
                    changes.append((deal.closeTime, closed.order, index, deal.netProfit ?? 0))
                }
            } else {
                changes.append((closed.trade.closeTime, closed.order, 0, closed.net))
            }
        }
        changes.sort { ($0.time, $0.order, $0.deal) < ($1.time, $1.order, $1.deal) }
        return changes.map { ($0.time, $0.net) }
    }

    /// The given balance, else the first trade's exported balance less its net profit.
    static func startingBalance(_ trades: [ClosedTrade], given: Decimal?) -> Decimal? {
        if let given { return given }
        guard let first = trades.first, let balance = first.trade.balance else { return nil }
        return balance - first.net
    }
}
