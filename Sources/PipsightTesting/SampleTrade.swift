import Foundation
import PipsightCore

/// One closing deal of a generated trade, in integers: prices in points (10^-digits), money in cents.
public struct SampleDeal: Sendable, Hashable {
    /// Order/deal id, unique in the backtest.
    public var dealId: Int64
    public var closeTimeMilliseconds: Int64
    public var closePricePoints: Int64
    public var units: Int64
    public var grossCents: Int64
    public var commissionCents: Int64
    public var swapCents: Int64
    public var netCents: Int64
    /// Pips in tenths (12.3 pips = 123).
    public var pipsTenths: Int64
    /// Account balance after this deal.
    public var balanceCents: Int64
    /// True for the deal that closes what remained of the position.
    public var isFinal: Bool
}

/// A stop-loss move of a generated trade (a `Position Modified (S/L)` event).
public struct SampleStopLossChange: Sendable, Hashable {
    public var timeMilliseconds: Int64
    public var stopLossPoints: Int64
    /// The market price when the stop was moved (for the event's equity).
    public var markPricePoints: Int64
}

/// One generated position with everything every writer needs.
public struct SampleTrade: Sendable, Hashable {
    public var positionId: Int64
    public var direction: TradeDirection
    public var openTimeMilliseconds: Int64
    public var entryPricePoints: Int64
    public var units: Int64
    public var initialStopLossPoints: Int64
    /// Nil when the position had no take profit.
    public var takeProfitPoints: Int64?
    public var stopLossChanges: [SampleStopLossChange]
    /// One or (partial close) two deals, in time order.
    public var deals: [SampleDeal]
    public var closeReason: CloseReason
    public var balanceBeforeCents: Int64
    /// Lowest and highest modelled equity while the position was open.
    public var minEquityCents: Int64
    public var maxEquityCents: Int64

    public var closeTimeMilliseconds: Int64 { deals.last?.closeTimeMilliseconds ?? openTimeMilliseconds }
    public var closePricePoints: Int64 { deals.last?.closePricePoints ?? entryPricePoints }
    public var grossCents: Int64 { deals.reduce(0) { $0 + $1.grossCents } }
    public var commissionCents: Int64 { deals.reduce(0) { $0 + $1.commissionCents } }
    public var swapCents: Int64 { deals.reduce(0) { $0 + $1.swapCents } }
    public var netCents: Int64 { deals.reduce(0) { $0 + $1.netCents } }
    public var pipsTenths: Int64 { deals.reduce(0) { $0 + $1.pipsTenths } }
    /// Volume-weighted mean close price (the only deal's price when there is one).
    func weightedClosePrice(digits: Int) -> Decimal {
        guard deals.count > 1 else { return SampleNumber.decimal(closePricePoints, scale: digits) }
        var weighted: Decimal = 0
        var volume: Decimal = 0
        for deal in deals {
            weighted += SampleNumber.decimal(deal.closePricePoints, scale: digits) * Decimal(deal.units)
            volume += Decimal(deal.units)
        }
        return weighted / volume
    }

    public var finalStopLossPoints: Int64 { stopLossChanges.last?.stopLossPoints ?? initialStopLossPoints }

    /// The trade as a Pipsight `Trade`, aggregated the way the parsers aggregate closing deals: money, pips
    /// and volume summed; close price the volume-weighted mean of the deals' prices; balance the last deal's.
    public func trade(symbol: String, digits: Int, label: String?) -> Trade {
        let price = { (points: Int64) in SampleNumber.decimal(points, scale: digits) }
        let lots = { (units: Int64) in SampleNumber.decimal(units / 1000, scale: 2) }
        let deals = self.deals.map { deal in
            Deal(
                dealId: String(deal.dealId), closeTime: SampleNumber.date(deal.closeTimeMilliseconds),
                closePrice: price(deal.closePricePoints), volume: Decimal(deal.units), quantity: lots(deal.units),
                grossProfit: SampleNumber.decimal(deal.grossCents, scale: 2),
                netProfit: SampleNumber.decimal(deal.netCents, scale: 2),
                commissions: SampleNumber.decimal(deal.commissionCents, scale: 2),
                swaps: SampleNumber.decimal(deal.swapCents, scale: 2),
                pips: SampleNumber.decimal(deal.pipsTenths, scale: 1),
                balance: SampleNumber.decimal(deal.balanceCents, scale: 2))
        }
        return Trade(
            positionId: String(positionId), symbol: symbol, label: label, direction: direction,
            openTime: SampleNumber.date(openTimeMilliseconds), closeTime: SampleNumber.date(closeTimeMilliseconds),
            entryPrice: price(entryPricePoints), closePrice: weightedClosePrice(digits: digits), volume: Decimal(units),
            quantity: lots(units), grossProfit: SampleNumber.decimal(grossCents, scale: 2),
            netProfit: SampleNumber.decimal(netCents, scale: 2),
            commissions: SampleNumber.decimal(commissionCents, scale: 2),
            swaps: SampleNumber.decimal(swapCents, scale: 2), pips: SampleNumber.decimal(pipsTenths, scale: 1),
            balance: deals.last?.balance, initialStopLoss: price(initialStopLossPoints),
            initialTakeProfit: takeProfitPoints.map(price), finalStopLoss: price(finalStopLossPoints),
            finalTakeProfit: takeProfitPoints.map(price), closeReason: closeReason, deals: deals)
    }
}
