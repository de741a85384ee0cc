import Foundation
import PipsightCore

extension DocumentBuilder {
    /// The run's statistics: totals, long/short, largest win and loss, streaks, balance drawdown.
    func statisticsDocument(content: BacktestContent, trades: [Trade]) -> RAGDocument? {
        typealias F = NarrativeFormat
        guard !trades.isEmpty || content.header.netProfit != nil else { return nil }
        let currency = content.header.depositAsset ?? ""
        let unit = currency.isEmpty ? "" : " \(currency)"
        let all = TradeGroupSummary(trades)
        var lines = ["Backtest statistics of \(Self.runLabel(content)) (\(content.sourceName)).",
                     "Totals of all trades (total number of trades, total net profit, overall win rate): \(all.sentence(currency: currency))"]
        let longs = TradeGroupSummary(trades.filter { $0.direction == .buy })
        let shorts = TradeGroupSummary(trades.filter { $0.direction == .sell })
        if longs.count > 0 { lines.append("Long (buy) trades: \(longs.sentence(currency: currency))") }
        if shorts.count > 0 { lines.append("Short (sell) trades: \(shorts.sentence(currency: currency))") }
        if let best = all.best, TradeGroupSummary.result(best) > 0 {
            lines.append("Largest win (biggest winning trade): trade \(best.positionId) \(F.signedMoney(TradeGroupSummary.result(best)))\(unit) opened \(F.dateTime(best.openTime)).")
        }
        if let worst = all.worst, TradeGroupSummary.result(worst) < 0 {
            lines.append("Largest loss (biggest losing trade): trade \(worst.positionId) \(F.signedMoney(TradeGroupSummary.result(worst)))\(unit) opened \(F.dateTime(worst.openTime)).")
        }
        lines.append(contentsOf: streakLines(trades))
        let starting = content.header.startingCapital
        if let starting {
            // Balance changes per closing deal (a partial close moves the balance before the final close).
            var changes: [(Date, Decimal)] = []
            for trade in trades {
                let dealNets = trade.deals.compactMap(\.netProfit)
                if trade.deals.count > 1, dealNets.count == trade.deals.count {
                    changes += trade.deals.map { ($0.closeTime, $0.netProfit ?? 0) }
                } else {
                    changes.append((trade.closeTime, TradeGroupSummary.result(trade)))
                }
            }
            changes = changes.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
            var balance = starting, peak = starting, peakTime = trades.first?.openTime
            var drawdown: Decimal = 0, drawdownPeak: Date?, drawdownTrough: Date?
            for (time, change) in changes {
                balance += change
                if balance > peak {
                    peak = balance
                    peakTime = time
                } else if peak - balance > drawdown {
                    drawdown = peak - balance
                    drawdownPeak = peakTime
                    drawdownTrough = time
                }
            }
            lines.append("Starting capital \(F.money(starting))\(unit), final balance \(F.money(balance))\(unit).")
            if drawdown > 0, let drawdownPeak, let drawdownTrough {
                lines.append("Maximum balance drawdown \(F.money(drawdown))\(unit): from the peak on \(F.dateTime(drawdownPeak)) down to the trough (low) on \(F.dateTime(drawdownTrough)).")
            }
        }
        let (start, end) = Self.span(of: trades, header: content.header)
        if let start, let end { lines.append("Trading period \(F.dateTime(start)) to \(F.dateTime(end)).") }
        return RAGDocument(
            id: RAGDocument.makeID(backtestID: content.id, kind: .statistics), backtestID: content.id,
            kind: .statistics, title: "Statistics of \(Self.runLabel(content)): totals, win rate, largest win and loss, longest streaks, maximum drawdown; \(all.count) trades, net \(F.signedMoney(all.net))",
            text: lines.joined(separator: "\n"),
            tradeIDs: [all.best?.positionId, all.worst?.positionId].compactMap { $0 },
            startTime: start, endTime: end)
    }

    /// Longest winning and losing streaks (consecutive trades in close order), with their dates.
    private func streakLines(_ trades: [Trade]) -> [String] {
        typealias F = NarrativeFormat
        func longest(_ predicate: (Decimal) -> Bool) -> (Int, Int) {
            var best = (0, 0), current = 0
            for (i, trade) in trades.enumerated() {
                current = predicate(TradeGroupSummary.result(trade)) ? current + 1 : 0
                if current > best.0 { best = (current, i) }
            }
            return best
        }
        var lines: [String] = []
        for (name, predicate) in [("winning", { (v: Decimal) in v > 0 }), ("losing", { (v: Decimal) in v < 0 })] {
            let (length, last) = longest(predicate)
            guard length > 0 else { continue }
            let first = trades[last - length + 1]
            lines.append("Longest \(name) streak (maximum consecutive \(name) trades in a row): \(length) trades, from trade \(first.positionId) opened \(F.dateTime(first.openTime)) to trade \(trades[last].positionId) closed \(F.dateTime(trades[last].closeTime)).")
        }
        return lines
    }

    /// The cBot's parameters, with their optimisation ranges.
    func parametersDocument(content: BacktestContent, span: (Date?, Date?)) -> RAGDocument? {
        guard !content.parameters.isEmpty else { return nil }
        let lines = content.parameters.map { parameter -> String in
            var line = "\(parameter.friendlyName ?? parameter.name)"
            if parameter.friendlyName != nil, parameter.friendlyName != parameter.name { line += " (\(parameter.name))" }
            line += " = \(parameter.value ?? "n/a")"
            if parameter.optimize == true {
                var range = "optimised"
                if let min = parameter.min, let max = parameter.max { range += " from \(min) to \(max)" }
                if let step = parameter.step { range += " step \(step)" }
                if let values = parameter.values, !values.isEmpty { range += " over \(values.joined(separator: ", "))" }
                line += " (\(range))"
            }
            if let group = parameter.groupName { line += " [group \(group)]" }
            return line
        }
        return RAGDocument(
            id: RAGDocument.makeID(backtestID: content.id, kind: .parameters), backtestID: content.id,
            kind: .parameters, title: "Parameters (settings, inputs) of \(Self.runLabel(content))",
            text: "cBot parameters of \(Self.runLabel(content)):\n" + lines.joined(separator: "\n"),
            startTime: span.0, endTime: span.1)
    }

    /// One document per optimisation pass, with its rank by net profit.
    func passDocuments(content: BacktestContent, span: (Date?, Date?)) -> [RAGDocument] {
        typealias F = NarrativeFormat
        let passes = content.passes
        guard !passes.isEmpty else { return [] }
        let ranked = passes.indices.sorted {
            (passes[$0].netProfit ?? -.greatestFiniteMagnitude, -passes[$0].passId)
                > (passes[$1].netProfit ?? -.greatestFiniteMagnitude, -passes[$1].passId)
        }
        var rankOf: [Int: Int] = [:]
        for (rank, index) in ranked.enumerated() { rankOf[index] = rank + 1 }
        return passes.indices.map { index in
            let pass = passes[index]
            let rank = rankOf[index] ?? 0
            var text = "Optimisation pass \(pass.passId) of \(Self.runLabel(content))"
            if let status = pass.status { text += " (\(status))" }
            text += ": net profit \(F.money(pass.netProfit))"
            if let trades = pass.trades { text += ", \(trades) trades" }
            if let winning = pass.winningTrades { text += ", \(winning) winning" }
            if let trades = pass.trades, let winning = pass.winningTrades, trades > 0 {
                text += " (win rate \(F.percent(Double(winning) / Double(trades))))"
            }
            if let factor = pass.profitFactor { text += String(format: ", profit factor %.2f", factor) }
            if let average = pass.averageTrade { text += ", average trade \(F.money(average))" }
            if let equity = pass.equity { text += ", final equity \(F.money(equity))" }
            if let drawdown = pass.maxEquityDrawdownAbsolute { text += ", max equity drawdown \(F.money(drawdown))" }
            if let fraction = pass.maxEquityDrawdownFraction { text += " (\(F.percent(fraction)))" }
            text += ".\nRanks \(F.ordinal(rank)) of \(passes.count) passes by net profit"
            if rank == 1 { text += " (the best pass, the most profitable)" }
            if rank == passes.count, passes.count > 1 { text += " (the worst pass)" }
            text += "."
            if !pass.parameters.isEmpty {
                text += "\nParameters: " + pass.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
                    .joined(separator: ", ") + "."
            }
            return RAGDocument(
                id: RAGDocument.makeID(backtestID: content.id, kind: .pass, key: String(pass.passId)),
                backtestID: content.id, kind: .pass,
                title: "Optimisation pass \(pass.passId): net \(F.money(pass.netProfit)), rank \(rank) of \(passes.count)",
                text: text, startTime: span.0, endTime: span.1)
        }
    }
}
