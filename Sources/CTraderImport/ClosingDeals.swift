import Foundation
import PipsightCore

/// Turns the closing deals of one position into its `Trade`: money, pips and volumes are summed,
/// the close time and balance are the last deal's, and the close price is the volume-weighted
/// average of the deals' prices (the last deal's price when volumes or prices are missing).
enum ClosingDeals {
    /// The sum of the values present; nil when none is. Added as scaled integers (`ExactSum`), not `Decimal`s.
    static func sum(_ values: some Sequence<Decimal?>) -> Decimal? {
        var total = ExactSum()
        for case let value? in values { total.add(value) }
        return total.result
    }

    /// The sum of one field over `deals`; nil when no deal has it.
    static func sum(_ deals: [Deal], _ field: KeyPath<Deal, Decimal?>) -> Decimal? {
        var total = ExactSum()
        for deal in deals {
            if let value = deal[keyPath: field] { total.add(value) }
        }
        return total.result
    }

    /// Volume-weighted average close price of `deals` (sorted by close time).
    static func closePrice(of deals: [Deal]) -> Decimal? {
        guard let last = deals.last else { return nil }
        guard deals.count > 1 else { return last.closePrice }
        var weighted: Decimal = 0
        var volume: Decimal = 0
        for deal in deals {
            guard let price = deal.closePrice, let dealVolume = deal.volume else { return last.closePrice }
            weighted += price * dealVolume
            volume += dealVolume
        }
        guard volume > 0 else { return last.closePrice }
        return weighted / volume
    }

    /// Applies the summed deal values to `trade` (whose identity, direction and open side are set).
    /// `deals` must not be empty; they are stored sorted by close time.
    static func apply(_ deals: [Deal], to trade: inout Trade, summingVolume: Bool) {
        let sorted = deals.count == 1 ? deals : deals.sorted { $0.closeTime < $1.closeTime }
        trade.deals = sorted
        if let last = sorted.last {
            trade.closeTime = last.closeTime
            trade.balance = last.balance
        }
        trade.closePrice = closePrice(of: sorted)
        trade.grossProfit = sum(sorted, \.grossProfit)
        trade.netProfit = sum(sorted, \.netProfit)
        trade.commissions = sum(sorted, \.commissions)
        trade.swaps = sum(sorted, \.swaps)
        trade.pips = sum(sorted, \.pips)
        if summingVolume {
            trade.volume = sum(sorted, \.volume)
            trade.quantity = sum(sorted, \.quantity)
        }
    }
}
