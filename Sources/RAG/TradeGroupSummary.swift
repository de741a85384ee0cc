import Foundation
import PipsightCore

/// Totals of a group of trades (a day, a weekday, an hour, a month, the whole run), for document text.
/// A trade wins when its net profit (gross when net is missing) is above zero and loses when below.
struct TradeGroupSummary: Sendable {
    var count = 0
    var long = 0
    var short = 0
    var winners = 0
    var losers = 0
    var net: Decimal = 0
    var grossWins: Decimal = 0
    var grossLosses: Decimal = 0
    var pips: Decimal = 0
    var heldSeconds = 0.0
    var best: Trade?
    var worst: Trade?
    var tradeIDs: [String] = []

    init(_ trades: some Sequence<Trade>) {
        for trade in trades { add(trade) }
    }

    static func result(_ trade: Trade) -> Decimal { trade.netProfit ?? trade.grossProfit ?? 0 }

    mutating func add(_ trade: Trade) {
        count += 1
        if trade.direction == .buy { long += 1 } else { short += 1 }
        let value = Self.result(trade)
        net += value
        if value > 0 {
            winners += 1
            grossWins += value
        } else if value < 0 {
            losers += 1
            grossLosses += value
        }
        pips += trade.pips ?? 0
        heldSeconds += trade.closeTime.timeIntervalSince(trade.openTime)
        if best.map({ value > Self.result($0) }) ?? true { best = trade }
        if worst.map({ value < Self.result($0) }) ?? true { worst = trade }
        tradeIDs.append(trade.positionId)
    }

    var winRate: Double { count == 0 ? 0 : Double(winners) / Double(count) }

    /// Gross wins over gross losses; nil without losses.
    var profitFactor: Double? {
        guard grossLosses < 0 else { return nil }
        return NSDecimalNumber(decimal: grossWins / -grossLosses).doubleValue
    }

    /// One paragraph of totals: `12 trades (7 long, 5 short), 6 winners and 6 losers (win rate 50.0%), …`.
    func sentence(currency: String) -> String {
        typealias F = NarrativeFormat
        let unit = currency.isEmpty ? "" : " \(currency)"
        var text = "\(count) trades (\(long) long, \(short) short), \(winners) winners and \(losers) losers (win rate \(F.percent(winRate))). "
        text += "Net profit \(F.money(net))\(unit), gross profit \(F.money(grossWins)), gross loss \(F.money(grossLosses))"
        if let profitFactor { text += String(format: ", profit factor %.2f", profitFactor) }
        if count > 0 {
            text += ", average trade \(F.money(net / Decimal(count)))"
            text += ", \(F.pips(pips)) pips, average holding time \(F.duration(seconds: Int(heldSeconds / Double(count))))"
        }
        text += "."
        if let best, Self.result(best) > 0 {
            text += " Best trade \(best.positionId) \(F.signedMoney(Self.result(best))) on \(F.dateTime(best.openTime))."
        }
        if let worst, Self.result(worst) < 0 {
            text += " Worst trade \(worst.positionId) \(F.signedMoney(Self.result(worst))) on \(F.dateTime(worst.openTime))."
        }
        return text
    }
}
