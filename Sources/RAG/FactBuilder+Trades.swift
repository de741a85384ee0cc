import Foundation
import PipsightCore

/// Trade-level facts: from the stored trade columns when the backtest has them (`FactBuilder+Columns.swift`),
/// else by walking the stored trades in close order. Both build the fact with the same functions below.
extension FactContext {
    /// The single largest loss or win, with the trade it came from (stored trades, in close order).
    mutating func extremeTradeFact(_ intent: QuestionIntent) async throws -> [Fact] {
        if let facts = try await columnarExtremeTradeFact(intent) { return facts }
        let loss = intent == .largestLoss
        var chosen: (trade: Trade, net: Decimal)?
        for trade in try await trades() {
            guard let net = trade.netProfit else { continue }
            let better = loss ? net < (chosen?.net ?? 0) : net > (chosen?.net ?? 0)
            if better { chosen = (trade, net) }
        }
        guard let (trade, net) = chosen else { return [] }
        return [
            extremeFact(
                intent, positionId: trade.positionId, symbol: trade.symbol, direction: trade.direction,
                openTime: trade.openTime, closeTime: trade.closeTime, closeReason: trade.closeReason, net: net),
        ]
    }

    /// The fact of the largest loss or win.
    func extremeFact(
        _ intent: QuestionIntent, positionId: String, symbol: String?, direction: TradeDirection, openTime: Date,
        closeTime: Date, closeReason: CloseReason, net: Decimal
    ) -> Fact {
        let detail =
            "trade \(positionId): \(symbol ?? "?") \(direction == .buy ? "buy" : "sell"), "
            + "opened \(FactFormat.time(openTime)), closed \(FactFormat.time(closeTime)), "
            + "close reason \(closeReason.rawValue)"
        return fact(
            intent, intent == .largestLoss ? "Largest loss" : "Largest win", FactFormat.money(net), key: positionId,
            amount: net, detail: detail, start: openTime, end: closeTime, source: "stored trades (SQL)",
            tradeIDs: [positionId])
    }

    /// The longest run of winners or losers in close order; a break-even trade ends a run.
    mutating func streakFact(_ intent: QuestionIntent) async throws -> [Fact] {
        if let facts = try await columnarStreakFact(intent) { return facts }
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
        let total = best.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) }
        return [
            streakFact(
                intent, positionIds: best.map(\.positionId), net: total, firstClose: best.first?.closeTime,
                lastClose: best.last?.closeTime),
        ]
    }

    /// The fact of a streak of `positionIds` (none: a streak of 0 trades).
    func streakFact(
        _ intent: QuestionIntent, positionIds: [String], net: Decimal, firstClose: Date?, lastClose: Date?
    ) -> Fact {
        let label = intent == .longestWinningStreak ? "Longest winning streak" : "Longest losing streak"
        guard let first = positionIds.first, let last = positionIds.last, let firstClose, let lastClose else {
            return fact(intent, label, "0 trades", amount: 0, source: "stored trades (SQL)")
        }
        return fact(
            intent, label, "\(positionIds.count) trades", key: "\(positionIds.count)", amount: Decimal(positionIds.count),
            detail: "trades \(first)–\(last), closed \(FactFormat.time(firstClose)) to "
                + "\(FactFormat.time(lastClose)), net \(FactFormat.money(net))",
            start: firstClose, end: lastClose, source: "stored trades (SQL)", tradeIDs: positionIds)
    }

    /// The balance drawdown starts from the export's starting capital, else the derived starting balance.
    mutating func drawdownStartingBalance() async throws -> Decimal {
        if let capital = backtest.startingCapital { return capital }
        return try await statistics()?.startingBalance ?? 0
    }

    /// The largest fall of the balance after any closing deal below an earlier peak, with its dates.
    mutating func drawdownFact() async throws -> [Fact] {
        if let facts = try await columnarDrawdownFact() { return facts }
        let trades = try await trades()
        guard !trades.isEmpty else { return [] }
        let startingBalance = try await drawdownStartingBalance()
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
        guard let worst else { return [noDrawdownFact()] }
        let ids = worst.from <= worst.to ? trades[worst.from...worst.to].map(\.positionId) : []
        return [
            drawdownFact(
                depth: worst.depth, peak: worst.peak, peakTime: worst.peakTime, trough: worst.trough,
                tradeCount: ids.count, positionIds: Array(ids.prefix(Self.drawdownTradeIDs))),
        ]
    }

    /// Most trade ids a drawdown fact lists.
    static let drawdownTradeIDs = 50

    /// The fact when the balance never fell below a peak.
    func noDrawdownFact() -> Fact {
        fact(.maxDrawdown, "Maximum balance drawdown", "0.00", amount: 0, source: "stored trades and deals (SQL)")
    }

    /// The fact of the deepest fall: `tradeCount` trades from the one after the peak to the low, the first
    /// `drawdownTradeIDs` of them listed.
    func drawdownFact(
        depth: Decimal, peak: Decimal, peakTime: Date?, trough: Date, tradeCount: Int, positionIds: [String]
    ) -> Fact {
        let percent = peak > 0
            ? " (\(FactFormat.percent(NSDecimalNumber(decimal: depth / peak).doubleValue)) of the peak)" : ""
        let from = peakTime.map { "the peak on \(FactFormat.time($0))" } ?? "the starting balance"
        return fact(
            .maxDrawdown, "Maximum balance drawdown", FactFormat.money(depth) + percent, amount: depth,
            detail: "from \(from) (balance \(FactFormat.money(peak))) to the low on \(FactFormat.time(trough)), "
                + "\(tradeCount) trades",
            start: peakTime, end: trough, source: "stored trades and deals (SQL)", tradeIDs: positionIds)
    }
}
