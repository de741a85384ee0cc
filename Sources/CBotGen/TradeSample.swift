import Foundation
import PipsightCore

/// Net profit, gross profit and gross loss of a set of trades: what the detector compares groups by.
/// (The full metrics of the what-if report come from `TradeAnalytics`.)
struct TradeSample: Sendable, Hashable {
    var count = 0
    var winners = 0
    var netProfit: Decimal = 0
    var grossProfit: Decimal = 0
    /// Sum of the losing trades' net profit, as a positive number.
    var grossLoss: Decimal = 0

    init() {}

    init<S: Sequence>(_ trades: S) where S.Element == Trade {
        for trade in trades { add(trade) }
    }

    mutating func add(_ trade: Trade) {
        let net = trade.pipsightNet
        count += 1
        netProfit += net
        if net > 0 {
            winners += 1
            grossProfit += net
        } else if net < 0 {
            grossLoss -= net
        }
    }

    static func - (lhs: TradeSample, rhs: TradeSample) -> TradeSample {
        var result = TradeSample()
        result.count = lhs.count - rhs.count
        result.winners = lhs.winners - rhs.winners
        result.netProfit = lhs.netProfit - rhs.netProfit
        result.grossProfit = lhs.grossProfit - rhs.grossProfit
        result.grossLoss = lhs.grossLoss - rhs.grossLoss
        return result
    }

    /// Gross profit over gross loss; infinite with profits and no losses, nil without either.
    var profitFactor: Double? {
        if grossLoss > 0 { return grossProfit.double / grossLoss.double }
        return grossProfit > 0 ? .infinity : nil
    }

    /// The profit factor where JSON can hold it (nil when infinite).
    var finiteProfitFactor: Double? { profitFactor.flatMap { $0.isFinite ? $0 : nil } }

    var winRate: Double? { count > 0 ? Double(winners) / Double(count) : nil }
}

extension Trade {
    /// The trade's result in account currency: net profit, else gross profit, else 0.
    var pipsightNet: Decimal { netProfit ?? grossProfit ?? 0 }

    /// Seconds from open to close.
    var holdingSeconds: Double { closeTime.timeIntervalSince(openTime) }
}

extension Decimal {
    var double: Double { NSDecimalNumber(decimal: self).doubleValue }
}
