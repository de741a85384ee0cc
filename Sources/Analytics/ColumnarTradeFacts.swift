import Foundation
import PipsightCore

/// The trade-level figures a question asks for — the largest win or loss, the longest winning or losing streak,
/// the deepest fall of the balance — from `TradeColumns`, in close order (close time, then stored order), with
/// the same definitions as the walk over the stored trades they replace: a trade without a net profit counts
/// as 0, a break-even trade ends a streak, the balance moves at each closing deal of a partial close. Money is
/// summed as exact integers and turned into `Decimal` once per figure. Trades are named by their stored order
/// (`seq`, the columns' index); the caller reads their position ids.
public struct ColumnarTradeFacts: Sendable {
    /// The columns the figures are read from.
    public let columns: TradeColumns
    private let order: CloseOrder

    public init(_ columns: TradeColumns) {
        self.columns = columns
        order = CloseOrder(columns)
    }

    /// One trade as the facts describe it.
    public struct TradeRow: Sendable, Hashable {
        public var seq: Int
        public var symbol: String?
        public var direction: TradeDirection
        public var openTime: Date
        public var closeTime: Date
        public var closeReason: CloseReason
        public var netProfit: Decimal
    }

    /// A streak: its trades' stored order in close order, and their summed net profit.
    public struct Streak: Sendable, Hashable {
        public var seqs: [Int]
        public var netProfit: Decimal
        public var firstCloseTime: Date?
        public var lastCloseTime: Date?
    }

    /// The deepest fall of the balance below an earlier peak.
    public struct Drawdown: Sendable, Hashable {
        public var depth: Decimal
        /// The balance at the peak.
        public var peak: Decimal
        /// When the peak was reached; nil when it is the starting balance.
        public var peakTime: Date?
        /// The closing deal at the low.
        public var troughTime: Date
        /// The trades from the one after the peak to the one at the low, in close order.
        public var seqs: [Int]
    }

    public var count: Int { columns.count }

    /// The trade at `seq` (its net profit 0 when the export has none).
    public func trade(_ seq: Int) -> TradeRow {
        let flags = columns.flags[seq]
        let reason = Int(flags >> TradeColumns.Flag.reasonShift)
        let symbolIndex = Int(columns.symbol[seq])
        return TradeRow(
            seq: seq, symbol: symbolIndex < columns.symbols.count ? columns.symbols[symbolIndex] : nil,
            direction: flags & TradeColumns.Flag.buy != 0 ? .buy : .sell,
            openTime: ColumnarStatistics.date(millis: columns.openMillis[seq]),
            closeTime: ColumnarStatistics.date(millis: columns.closeMillis[seq]),
            closeReason: reason < TradeColumns.reasons.count ? TradeColumns.reasons[reason] : .unknown,
            netProfit: ScaledAmount.decimal(Int128(columns.net[seq]), scale: columns.moneyScale))
    }

    /// The trade with the largest loss (`loss`) or win: the first in close order with the most negative (most
    /// positive) net profit; nil when no trade lost (won).
    public func extreme(loss: Bool) -> TradeRow? {
        var chosen: Int?
        var chosenNet: Int64 = 0
        order.forEach { seq in
            let net = columns.net[seq]
            if loss ? net < chosenNet : net > chosenNet {
                chosen = seq
                chosenNet = net
            }
        }
        return chosen.map(trade)
    }

    /// The longest run of winners (`winning`) or losers in close order; the first of equally long runs. Empty
    /// `seqs` when there is none.
    public func streak(winning: Bool) -> Streak {
        var best = 0..<0
        var runStart = 0
        for position in 0..<order.count {
            let net = columns.net[order[position]]
            guard winning ? net > 0 : net < 0 else {
                runStart = position + 1
                continue
            }
            if position + 1 - runStart > best.count { best = runStart..<(position + 1) }
        }
        let seqs = best.map { order[$0] }
        var total: Int128 = 0
        for seq in seqs { total += Int128(columns.net[seq]) }
        return Streak(
            seqs: seqs, netProfit: ScaledAmount.decimal(total, scale: columns.moneyScale),
            firstCloseTime: seqs.first.map { ColumnarStatistics.date(millis: columns.closeMillis[$0]) },
            lastCloseTime: seqs.last.map { ColumnarStatistics.date(millis: columns.closeMillis[$0]) })
    }

    /// The largest fall of the balance (from `startingBalance`, moving at every closing deal) below an earlier
    /// peak; nil when it never falls below one, or when `startingBalance` cannot be held at a scale the columns
    /// allow (the caller then walks the stored trades).
    public func balanceDrawdown(startingBalance: Decimal) -> Drawdown?? {
        guard let start = ScaledAmount(startingBalance) else { return nil }
        var columns = self.columns
        if start.scale > columns.moneyScale {
            guard let wider = columns.rescaled(to: start.scale) else { return nil }
            columns = wider
        }
        guard let startUnits = start.at(scale: columns.moneyScale) else { return nil }
        // Closing deals of partial closes, by trade, in close-time order (ties in deal order).
        var dealsBySeq: [Int: [TradeColumns.Deal]] = [:]
        for deal in columns.deals { dealsBySeq[Int(deal.tradeSeq), default: []].append(deal) }
        for (seq, deals) in dealsBySeq {
            dealsBySeq[seq] = deals.sorted { ($0.closeMillis, $0.index) < ($1.closeMillis, $1.index) }
        }
        var balance = Int128(startUnits)
        var peak = balance
        var peakMillis: Int64?
        var peakPosition = -1
        var worst: (depth: Int128, peak: Int128, peakMillis: Int64?, troughMillis: Int64, from: Int, to: Int)?
        func close(_ net: Int64, at millis: Int64, position: Int) {
            balance += Int128(net)
            if balance > peak {
                peak = balance
                peakMillis = millis
                peakPosition = position
            }
            let depth = peak - balance
            if depth > (worst?.depth ?? 0) {
                worst = (depth, peak, peakMillis, millis, peakPosition + 1, position)
            }
        }
        for position in 0..<order.count {
            let seq = order[position]
            if let deals = dealsBySeq[seq] {
                for deal in deals { close(deal.net, at: deal.closeMillis, position: position) }
            } else {
                close(columns.net[seq], at: columns.closeMillis[seq], position: position)
            }
        }
        guard let worst else { return .some(nil) }
        let scale = columns.moneyScale
        return .some(Drawdown(
            depth: ScaledAmount.decimal(worst.depth, scale: scale), peak: ScaledAmount.decimal(worst.peak, scale: scale),
            peakTime: worst.peakMillis.map { ColumnarStatistics.date(millis: $0) },
            troughTime: ColumnarStatistics.date(millis: worst.troughMillis),
            seqs: worst.from <= worst.to ? (worst.from...worst.to).map { order[$0] } : []))
    }
}
