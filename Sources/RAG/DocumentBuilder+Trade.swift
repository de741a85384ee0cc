import Foundation
import PipsightCore

extension DocumentBuilder {
    /// One trade's narrative: symbol, direction, open and close times with weekday, hour and session, prices,
    /// pips, money, stop-loss and take-profit history, result, holding time.
    func tradeDocument(_ trade: Trade, backtestID: UUID, currency: String, history: StopLossHistory) -> RAGDocument {
        typealias F = NarrativeFormat
        let open = F.parts(trade.openTime), close = F.parts(trade.closeTime)
        let symbol = trade.symbol.map { " \($0)" } ?? ""
        let side = trade.direction == .buy ? "long (buy)" : "short (sell)"
        let net = trade.netProfit ?? trade.grossProfit
        let result: String
        if let net, net > 0 {
            result = "winning trade (winner, profit)"
        } else if let net, net < 0 {
            result = "losing trade (loser, loss)"
        } else {
            result = "break-even trade"
        }
        let held = Int(trade.closeTime.timeIntervalSince(trade.openTime).rounded())
        let session = TradingSession(utcHour: open.hour)
        let unit = currency.isEmpty ? "" : " \(currency)"
        var lines: [String] = []
        lines.append("Trade \(trade.positionId): \(side)\(symbol), a \(result).")
        lines.append("Opened \(F.dateTime(trade.openTime)) (\(open.weekdayName), hour \(String(format: "%02d", open.hour)), \(open.monthName) \(open.year), \(session.rawValue) session) at \(F.price(trade.entryPrice)).")
        lines.append("Closed \(F.dateTime(trade.closeTime)) (\(close.weekdayName), hour \(String(format: "%02d", close.hour))) at \(F.price(trade.closePrice)) by \(Self.reasonText(trade.closeReason)).")
        lines.append("Held \(F.duration(seconds: held)) (\(held / 60) minutes).")
        var money = "Net profit \(F.money(net))\(unit), \(F.pips(trade.pips)) pips"
        if let gross = trade.grossProfit { money += ", gross \(F.money(gross))" }
        if let commissions = trade.commissions { money += ", commissions \(F.money(commissions))" }
        if let swaps = trade.swaps { money += ", swaps \(F.money(swaps))" }
        if let balance = trade.balance { money += ", balance after \(F.money(balance))" }
        lines.append(money + ".")
        if let volume = trade.volume {
            var size = "Volume \(F.price(volume)) units"
            if let lots = trade.quantity { size += " (\(F.price(lots)) lots)" }
            lines.append(size + ".")
        }
        lines.append(stopLossText(trade, changes: history.changes(of: trade.positionId)))
        if trade.deals.count > 1 {
            lines.append("Partially closed in \(trade.deals.count) deals: " + trade.deals.map {
                "\(F.dateTime($0.closeTime)) at \(F.price($0.closePrice)) net \(F.money($0.netProfit))"
            }.joined(separator: "; ") + ".")
        }
        if let label = trade.label, !label.isEmpty { lines.append("Label: \(label).") }
        return RAGDocument(
            id: RAGDocument.makeID(backtestID: backtestID, kind: .trade, key: trade.positionId),
            backtestID: backtestID, kind: .trade,
            title: "Trade \(trade.positionId)\(symbol) \(trade.direction.rawValue) \(open.dayKey) \(F.signedMoney(net ?? 0))",
            text: lines.joined(separator: "\n"), tradeIDs: [trade.positionId],
            startTime: trade.openTime, endTime: trade.closeTime)
    }

    static func reasonText(_ reason: CloseReason) -> String {
        switch reason {
        case .stopLoss: return "stop loss (S/L hit)"
        case .takeProfit: return "take profit (T/P hit)"
        case .manual: return "manual close (closed by the cBot)"
        case .unknown: return "an unknown reason"
        }
    }

    private func stopLossText(_ trade: Trade, changes: [StopLossHistory.Change]) -> String {
        typealias F = NarrativeFormat
        var parts: [String] = []
        let stops = changes.compactMap { change in change.stopLoss.map { (change.time, $0) } }
        var distinct: [(Date, Decimal)] = []
        for stop in stops where distinct.last?.1 != stop.1 { distinct.append(stop) }
        if distinct.count > 1 {
            parts.append("Stop loss (S/L) moved \(distinct.count - 1) times: " + distinct.map {
                "\(F.price($0.1)) at \(F.dateTime($0.0))"
            }.joined(separator: " then ") + ".")
        } else if let initial = trade.initialStopLoss ?? distinct.first?.1 {
            if let final = trade.finalStopLoss, final != initial {
                parts.append("Stop loss (S/L) moved from \(F.price(initial)) to \(F.price(final)).")
            } else {
                parts.append("Stop loss (S/L) \(F.price(initial)), never moved.")
            }
        } else {
            parts.append("No stop loss (S/L).")
        }
        let targets = changes.compactMap(\.takeProfit)
        if let initial = trade.initialTakeProfit ?? targets.first {
            let final = trade.finalTakeProfit ?? targets.last ?? initial
            parts.append(final == initial ? "Take profit (T/P) \(F.price(initial))."
                                          : "Take profit (T/P) moved from \(F.price(initial)) to \(F.price(final)).")
        } else {
            parts.append("No take profit (T/P).")
        }
        return parts.joined(separator: " ")
    }
}
