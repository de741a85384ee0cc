import Foundation

extension SampleGenerator {
    /// Writes `events.json` in the shape of the real sample: a 2-space pretty-printed array of objects with
    /// the keys `serial, orderId, positionId, event, time, volume, quantity, type, entryPrice, tp, sl,
    /// closePrice, grossProfit, pips, balance, equity` in that order, `null` for absent values.
    ///
    /// Per position: `Create Position` (with its initial S/L and T/P), one `Position Modified (S/L)` per stop
    /// move, `Position closed` for a partial close (volume = the closed part; a guess: the real sample has
    /// no partial close), and a final `Take Profit Hit`, `Stop Loss Hit` or `Position closed`. `volume` is
    /// in units and `quantity` in lots.
    func writeEventsJSON(into sink: OutputSink) {
        var serial = 0
        var first = true
        sink.write("[")
        let price = { (points: Int64) in SampleNumber.json(points, scale: self.digits) }
        let money = { (cents: Int64) in SampleNumber.json(cents, scale: 2) }
        let lots = { (units: Int64) in SampleNumber.json(units / 1000, scale: 2) }
        let scale = pointsPerUnit

        for trade in trades {
            let type = trade.direction == .buy ? "Buy" : "Sell"
            let sign: Int64 = trade.direction == .buy ? 1 : -1
            let takeProfit = trade.takeProfitPoints.map(price) ?? "null"
            var stopLoss = trade.initialStopLossPoints
            var openUnits = trade.units
            var balance = trade.balanceBeforeCents

            func event(
                _ name: String, time: Int64, units: Int64, closePrice: String, gross: String, pips: String,
                balance: String, equity: String
            ) {
                sink.write(first ? "\n" : ",\n")
                first = false
                sink.write(
                    """
                      {
                        "serial": \(serial),
                        "orderId": null,
                        "positionId": \(trade.positionId),
                        "event": "\(name)",
                        "time": \(time),
                        "volume": \(units),
                        "quantity": \(lots(units)),
                        "type": "\(type)",
                        "entryPrice": \(price(trade.entryPricePoints)),
                        "tp": \(takeProfit),
                        "sl": \(price(stopLoss)),
                        "closePrice": \(closePrice),
                        "grossProfit": \(gross),
                        "pips": \(pips),
                        "balance": \(balance),
                        "equity": \(equity)
                      }
                    """)
                serial += 1
            }

            event(
                "Create Position", time: trade.openTimeMilliseconds, units: openUnits, closePrice: "null", gross: "0",
                pips: "0", balance: "null", equity: money(balance))

            // Stop moves and deals, in time order.
            var changes = trade.stopLossChanges[...]
            for deal in trade.deals {
                while let change = changes.first, change.timeMilliseconds <= deal.closeTimeMilliseconds {
                    changes = changes.dropFirst()
                    stopLoss = change.stopLossPoints
                    let floating = sign * (change.markPricePoints - trade.entryPricePoints) * openUnits * 100 / scale
                    event(
                        "Position Modified (S/L)", time: change.timeMilliseconds, units: openUnits, closePrice: "null",
                        gross: "0", pips: "0", balance: "null", equity: money(balance + floating))
                }
                balance = deal.balanceCents
                openUnits -= deal.units
                let name: String
                if deal.isFinal {
                    switch trade.closeReason {
                    case .takeProfit: name = "Take Profit Hit"
                    case .stopLoss: name = "Stop Loss Hit"
                    default: name = "Position closed"
                    }
                } else {
                    name = "Position closed"
                }
                let floating = sign * (deal.closePricePoints - trade.entryPricePoints) * openUnits * 100 / scale
                event(
                    name, time: deal.closeTimeMilliseconds, units: deal.units, closePrice: price(deal.closePricePoints),
                    gross: money(deal.grossCents), pips: SampleNumber.json(deal.pipsTenths, scale: 1),
                    balance: money(deal.balanceCents), equity: money(balance + floating))
            }
        }
        sink.write(first ? "]\n" : "\n]\n")
    }
}
