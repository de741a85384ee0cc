import Foundation
import PipsightCore

extension FactContext {
    /// The single largest loss or win, with the trade it came from (stored trades, in close order).
    mutating func extremeTradeFact(_ intent: QuestionIntent) async throws -> [Fact] {
        let loss = intent == .largestLoss
        var chosen: (trade: Trade, net: Decimal)?
        for trade in try await trades() {
            guard let net = trade.netProfit else { continue }
            let better = loss ? net < (chosen?.net ?? 0) : net > (chosen?.net ?? 0)
            if better { chosen = (trade, net) }
        }
        guard let (trade, net) = chosen else { return [] }
        let detail =
            "trade \(trade.positionId): \(trade.symbol ?? "?") \(trade.direction == .buy ? "buy" : "sell"), "
            + "opened \(FactFormat.time(trade.openTime)), closed \(FactFormat.time(trade.closeTime)), "
            + "close reason \(trade.closeReason.rawValue)"
        return [
            fact(
                intent, loss ? "Largest loss" : "Largest win", FactFormat.money(net), key: trade.positionId, amount: net,
                detail: detail, start: trade.openTime, end: trade.closeTime, source: "stored trades (SQL)",
                tradeIDs: [trade.positionId]),
        ]
    }

    /// The longest run of winners or losers in close order; a break-even trade ends a run.
    mutating func streakFact(_ intent: QuestionIntent) async throws -> [Fact] {
        let winning = intent == .longestWinningStreak
        var best: ArraySlice<Trade> = []
        var runStart = 0
        let trades = try await trades()
        for (index, trade) in trades.enumerated() {
            let net = trade.netProfit ?? 0
            let inRun = winning ? net > 0 : net < 0
            if !inRun {
                runStart = index + 1
                continue
            }
            if index + 1 - runStart > best.count { best = trades[runStart...index] }
        }
        guard let first = best.first, let last = best.last else {
            return [
                fact(intent, winning ? "Longest winning streak" : "Longest losing streak", "0 trades", amount: 0,
                    source: "stored trades (SQL)")
            ]
        }
        let total = best.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) }
        return [
            fact(
                intent, winning ? "Longest winning streak" : "Longest losing streak", "\(best.count) trades",
                key: "\(best.count)", amount: Decimal(best.count),
                detail: "trades \(first.positionId)–\(last.positionId), closed \(FactFormat.time(first.closeTime)) to "
                    + "\(FactFormat.time(last.closeTime)), net \(FactFormat.money(total))",
                start: first.closeTime, end: last.closeTime, source: "stored trades (SQL)",
                tradeIDs: best.map(\.positionId)),
        ]
    }

    /// The largest fall of the balance after any closing deal below an earlier peak, with its dates.
    mutating func drawdownFact() async throws -> [Fact] {
        let trades = try await trades()
        guard !trades.isEmpty else { return [] }
        var startingBalance = backtest.startingCapital ?? 0
        if backtest.startingCapital == nil, let derived = try await statistics()?.startingBalance {
            startingBalance = derived
        }
        var balance = startingBalance
        var peak = startingBalance
        var peakTime: Date?
        var peakIndex = -1
        var worst: (depth: Decimal, peak: Decimal, peakTime: Date?, trough: Date, from: Int, to: Int)?
        for (index, trade) in trades.enumerated() {
            let deals = trade.deals.isEmpty
                ? [Deal(dealId: trade.positionId, closeTime: trade.closeTime, netProfit: trade.netProfit)]
                : trade.deals.sorted { $0.closeTime < $1.closeTime }
            for deal in deals {
                balance += deal.netProfit ?? 0
                if balance > peak {
                    peak = balance
                    peakTime = deal.closeTime
                    peakIndex = index
                }
                let depth = peak - balance
                if depth > (worst?.depth ?? 0) {
                    worst = (depth, peak, peakTime, deal.closeTime, peakIndex + 1, index)
                }
            }
        }
        guard let worst else {
            return [fact(.maxDrawdown, "Maximum balance drawdown", "0.00", amount: 0, source: "stored trades and deals (SQL)")]
        }
        let percent = worst.peak > 0
            ? " (\(FactFormat.percent(NSDecimalNumber(decimal: worst.depth / worst.peak).doubleValue)) of the peak)" : ""
        let from = worst.peakTime.map { "the peak on \(FactFormat.time($0))" } ?? "the starting balance"
        let ids = worst.from <= worst.to ? trades[worst.from...worst.to].map(\.positionId) : []
        return [
            fact(
                .maxDrawdown, "Maximum balance drawdown", FactFormat.money(worst.depth) + percent,
                amount: worst.depth,
                detail: "from \(from) (balance \(FactFormat.money(worst.peak))) to the low on \(FactFormat.time(worst.trough)), "
                    + "\(ids.count) trades",
                start: worst.peakTime, end: worst.trough, source: "stored trades and deals (SQL)",
                tradeIDs: Array(ids.prefix(50))),
        ]
    }
}
