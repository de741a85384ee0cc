import Foundation

/// The balance after every closing deal: trades closed in one deal in close order, merged with the deals
/// of partial closes, ordered by time, then trade order, then deal order (as `ClosedTrade.balanceChanges`).
enum BalancePath {
    /// The largest fall below the running peak (the starting balance, or 0 when unknown, is the first
    /// peak) and the peak it fell from; the first such fall when several are equal.
    static func maxDrawdown(columns: TradeColumns, order: CloseOrder, start: Int128?) -> (fall: Int128, peak: Int128) {
        var deals = columns.deals
        deals.sort { ($0.closeMillis, $0.tradeSeq, $0.index) < ($1.closeMillis, $1.tradeSeq, $1.index) }
        var balance = start ?? 0
        var peak = balance
        var worst: Int128 = 0
        var worstPeak: Int128 = 0
        @inline(__always) func apply(_ net: Int64) {
            balance += Int128(net)
            if balance > peak { peak = balance }
            let fall = peak - balance
            if fall > worst {
                worst = fall
                worstPeak = peak
            }
        }
        var nextDeal = 0
        let partial = TradeColumns.Flag.partial
        for position in 0..<order.count {
            let index = order[position]
            guard columns.flags[index] & partial == 0 else { continue }
            let close = columns.closeMillis[index]
            let seq = Int32(truncatingIfNeeded: index)
            while nextDeal < deals.count,
                  (deals[nextDeal].closeMillis, deals[nextDeal].tradeSeq, deals[nextDeal].index) < (close, seq, 0) {
                apply(deals[nextDeal].net)
                nextDeal += 1
            }
            apply(columns.net[index])
        }
        while nextDeal < deals.count {
            apply(deals[nextDeal].net)
            nextDeal += 1
        }
        return (worst, worstPeak)
    }
}

/// Time with at least one position open: the length of the union of [open, close] of all trades.
enum Exposure {
    static func unionMillis(_ columns: TradeColumns) -> Int64 {
        let open = columns.openMillis
        let close = columns.closeMillis
        var sorted = true
        for index in 1..<max(open.count, 1) where open[index] < open[index - 1] {
            sorted = false
            break
        }
        var total: Int64 = 0
        var spanStart = Int64.min
        var spanEnd = Int64.min
        @inline(__always) func add(_ start: Int64, _ end: Int64) {
            if spanStart != Int64.min, start <= spanEnd {
                spanEnd = max(spanEnd, end)
            } else {
                if spanStart != Int64.min { total += spanEnd - spanStart }
                spanStart = start
                spanEnd = end
            }
        }
        if sorted {
            for index in open.indices { add(open[index], close[index]) }
        } else {
            var intervals = zip(open, close).map { ($0, $1) }
            intervals.sort { $0.0 < $1.0 }
            for (start, end) in intervals { add(start, end) }
        }
        if spanStart != Int64.min { total += spanEnd - spanStart }
        return total
    }
}
