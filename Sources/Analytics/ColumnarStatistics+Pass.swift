import Foundation
import PipsightCore

/// One side's sums in close order (the integer twin of `SideAccumulator`).
struct SideSums {
    var count = 0
    var winners = 0
    var losers = 0
    var net: Int128 = 0
    var grossProfit: Int128 = 0
    var grossLoss: Int128 = 0
    var commissions: Int128 = 0
    var swaps: Int128 = 0
    var largestWin: Int64 = 0
    var largestLoss: Int64 = 0
    var winRun = 0
    var lossRun = 0
    var maxWinRun = 0
    var maxLossRun = 0
    var holdingMillis: Int64 = 0

    @inline(__always)
    mutating func add(net value: Int64, commissions commission: Int64, swaps swap: Int64, heldMillis: Int64) {
        count += 1
        net += Int128(value)
        commissions += Int128(commission)
        swaps += Int128(swap)
        holdingMillis += heldMillis
        if value > 0 {
            winners += 1
            grossProfit += Int128(value)
            largestWin = max(largestWin, value)
            winRun += 1
            lossRun = 0
            maxWinRun = max(maxWinRun, winRun)
        } else if value < 0 {
            losers += 1
            grossLoss += Int128(value)
            largestLoss = min(largestLoss, value)
            lossRun += 1
            winRun = 0
            maxLossRun = max(maxLossRun, lossRun)
        } else {
            winRun = 0
            lossRun = 0
        }
    }

    func statistics(scale: Int) -> DirectionStatistics {
        DirectionStatistics.fromTotals(
            tradeCount: count, winningTrades: winners, losingTrades: losers,
            netProfit: ScaledAmount.decimal(net, scale: scale), grossProfit: ScaledAmount.decimal(grossProfit, scale: scale),
            grossLoss: ScaledAmount.decimal(grossLoss, scale: scale),
            commissions: ScaledAmount.decimal(commissions, scale: scale), swaps: ScaledAmount.decimal(swaps, scale: scale),
            largestWin: ScaledAmount.decimal(Int128(largestWin), scale: scale),
            largestLoss: ScaledAmount.decimal(Int128(largestLoss), scale: scale), maxConsecutiveWins: maxWinRun,
            maxConsecutiveLosses: maxLossRun,
            averageHoldingSeconds: count > 0 ? Double(holdingMillis) / 1000 / Double(count) : nil)
    }
}

/// One breakdown group's sums.
struct GroupSums {
    var count = 0
    var winners = 0
    var losers = 0
    var net: Int128 = 0
    var profit: Int128 = 0
    var loss: Int128 = 0

    @inline(__always)
    mutating func add(_ value: Int64) {
        count += 1
        net += Int128(value)
        if value > 0 {
            winners += 1
            profit += Int128(value)
        } else if value < 0 {
            losers += 1
            loss += Int128(value)
        }
    }

    func row(key: String, dimension: BreakdownDimension, scale: Int) -> BreakdownRow {
        BreakdownRow(
            key: key, label: BreakdownKeys.label(of: key, dimension: dimension), tradeCount: count,
            winningTrades: winners, losingTrades: losers, netProfit: ScaledAmount.decimal(net, scale: scale),
            grossProfit: ScaledAmount.decimal(profit, scale: scale), grossLoss: ScaledAmount.decimal(loss, scale: scale))
    }
}

/// The pass over the trades in close order: per-side sums and runs, every breakdown, the UTC days, and the
/// exported balances against the running balance.
struct OrderedPass {
    let columns: TradeColumns
    let start: Int128?
    var all = SideSums()
    var long = SideSums()
    var short = SideSums()
    // Breakdowns (only those asked for are filled).
    let wanted: Set<BreakdownDimension>
    // The same as flags: a `Set` lookup per trade and dimension would cost more than the sums.
    let anyWanted: Bool
    let byWeekday: Bool, byHour: Bool, byMonth: Bool, bySymbol: Bool, byDirection: Bool, byHolding: Bool, byExit: Bool
    let zone: ZoneOffsets?
    var openHint = 0
    var closeHint = 0
    var weekday = [GroupSums](repeating: GroupSums(), count: 7)
    var hour = [GroupSums](repeating: GroupSums(), count: 24)
    var months: [Int: GroupSums] = [:]
    var lastMonth: (key: Int, sums: GroupSums)?
    var symbol: [GroupSums]
    var direction = [GroupSums](repeating: GroupSums(), count: 2)
    var holding = [GroupSums](repeating: GroupSums(), count: BreakdownKeys.holdingBuckets.count)
    var exit = [GroupSums](repeating: GroupSums(), count: TradeColumns.reasons.count)
    let holdingBounds: [Int64]
    // UTC days of the close times: the first day and the net profit per day since.
    var firstDay: Int64?
    var dayNet: [Int128] = []
    // Balance reconciliation.
    var cumulative: Int128 = 0
    var balancesChecked = 0
    var balancesDiffering = 0
    var differences: [(seq: Int, reported: Int64, computed: Int128)] = []
    let toleranceTimes200: Int128

    init(columns: TradeColumns, start: Int128?, dimensions: [BreakdownDimension], timeZone: TimeZone) {
        self.columns = columns
        self.start = start
        wanted = Set(dimensions)
        anyWanted = !wanted.isEmpty
        byWeekday = wanted.contains(.weekday)
        byHour = wanted.contains(.hour)
        byMonth = wanted.contains(.month)
        bySymbol = wanted.contains(.symbol)
        byDirection = wanted.contains(.direction)
        byHolding = wanted.contains(.holdingTime)
        byExit = wanted.contains(.exitReason)
        let zoned = wanted.contains(.weekday) || wanted.contains(.hour) || wanted.contains(.month)
        if zoned, columns.count > 0 {
            let low = min(columns.openMillis.min() ?? 0, columns.closeMillis.min() ?? 0)
            let high = max(columns.openMillis.max() ?? 0, columns.closeMillis.max() ?? 0)
            zone = ZoneOffsets(timeZone: timeZone, fromMillis: low, toMillis: high)
        } else {
            zone = nil
        }
        symbol = [GroupSums](repeating: GroupSums(), count: columns.symbols.count)
        holdingBounds = BreakdownKeys.holdingBuckets.compactMap { $0.upperBound.map { Int64($0) * 1000 } }
        // |difference| > 0.005 ⇔ |difference in units| × 200 > 10^scale.
        toleranceTimes200 = Int128(ScaledAmount.powerOfTen(columns.moneyScale))
    }

    @inline(__always)
    mutating func add(_ index: Int) {
        let value = columns.net[index]
        let flags = columns.flags[index]
        let open = columns.openMillis[index]
        let close = columns.closeMillis[index]
        let held = close - open
        let buy = flags & TradeColumns.Flag.buy != 0
        all.add(net: value, commissions: columns.commissions[index], swaps: columns.swaps[index], heldMillis: held)
        if buy {
            long.add(net: value, commissions: columns.commissions[index], swaps: columns.swaps[index], heldMillis: held)
        } else {
            short.add(net: value, commissions: columns.commissions[index], swaps: columns.swaps[index], heldMillis: held)
        }

        let day = LocalTime.day(close)
        if let firstDay {
            let offset = Int(day - firstDay)
            while dayNet.count <= offset { dayNet.append(0) }
            dayNet[offset] += Int128(value)
        } else {
            firstDay = day
            dayNet = [Int128(value)]
        }

        cumulative += Int128(value)
        if let start, flags & TradeColumns.Flag.hasBalance != 0 {
            balancesChecked += 1
            let reported = columns.balance[index]
            let computed = start + cumulative
            let difference = Int128(reported) - computed
            if difference.magnitude * 200 > toleranceTimes200.magnitude {
                balancesDiffering += 1
                if differences.count < ColumnarStatistics.listedDifferences {
                    differences.append((index, reported, computed))
                }
            }
        }

        guard anyWanted else { return }
        if let zone {
            let localOpen = open + zone.offset(at: open, hint: &openHint)
            let openDay = LocalTime.day(localOpen)
            if byWeekday { weekday[LocalTime.isoWeekday(day: openDay) - 1].add(value) }
            if byHour { hour[LocalTime.hour(localOpen)].add(value) }
            if byMonth {
                let localClose = close + zone.offset(at: close, hint: &closeHint)
                let key = LocalTime.monthKey(day: LocalTime.day(localClose))
                if var last = lastMonth, last.key == key {
                    last.sums.add(value)
                    lastMonth = last
                } else {
                    if let last = lastMonth { months[last.key] = last.sums }
                    var sums = months[key] ?? GroupSums()
                    sums.add(value)
                    lastMonth = (key, sums)
                }
            }
        }
        if bySymbol { symbol[Int(columns.symbol[index])].add(value) }
        if byDirection { direction[buy ? 0 : 1].add(value) }
        if byHolding {
            var bucket = holdingBounds.count
            for (position, bound) in holdingBounds.enumerated() where held < bound {
                bucket = position
                break
            }
            holding[bucket].add(value)
        }
        if byExit { exit[Int(flags >> TradeColumns.Flag.reasonShift) & 3].add(value) }
    }

    /// The UTC days from the first close to the last and, when every day has one, their returns (net profit
    /// over the balance at the start of the day, through `Decimal` as the SQL version divides).
    func dailyReturns(scale: Int) -> (days: Int, returns: [Double]?) {
        guard let start else { return (dayNet.count, nil) }
        var returns: [Double] = []
        returns.reserveCapacity(dayNet.count)
        var balance = start
        for net in dayNet {
            let opening = balance
            balance += net
            guard opening > 0 else { return (dayNet.count, nil) }
            returns.append(
                Money.double(ScaledAmount.decimal(net, scale: scale)) / Money.double(ScaledAmount.decimal(opening, scale: scale)))
        }
        return (dayNet.count, returns)
    }

    /// The non-empty groups of each breakdown asked for, in `BreakdownKeys` order.
    func breakdownRows(scale: Int) -> [BreakdownDimension: [BreakdownRow]] {
        var result: [BreakdownDimension: [BreakdownRow]] = [:]
        for dimension in wanted {
            var keyed: [(String, GroupSums)] = []
            switch dimension {
            case .weekday:
                keyed = weekday.enumerated().map { (String($0.offset + 1), $0.element) }
            case .hour:
                keyed = hour.enumerated().map { (Self.twoDigits($0.offset), $0.element) }
            case .month:
                var all = months
                if let last = lastMonth { all[last.key] = last.sums }
                keyed = all.map { key, sums in
                    (String(key / 12).leftPadded(4) + "-" + Self.twoDigits(key % 12 + 1), sums)
                }
            case .symbol:
                keyed = symbol.enumerated().map { (columns.symbols[$0.offset] ?? BreakdownKeys.noSymbol, $0.element) }
            case .direction:
                keyed = [(TradeDirection.buy.rawValue, direction[0]), (TradeDirection.sell.rawValue, direction[1])]
            case .holdingTime:
                keyed = holding.enumerated().map { (BreakdownKeys.holdingBuckets[$0.offset].key, $0.element) }
            case .exitReason:
                keyed = exit.enumerated().map { (TradeColumns.reasons[$0.offset].rawValue, $0.element) }
            }
            // Groups sharing a key (a symbol literally named like the no-symbol key) are one group, as in SQL.
            var merged: [String: GroupSums] = [:]
            for (key, sums) in keyed where sums.count > 0 {
                var group = merged[key] ?? GroupSums()
                group.count += sums.count
                group.winners += sums.winners
                group.losers += sums.losers
                group.net += sums.net
                group.profit += sums.profit
                group.loss += sums.loss
                merged[key] = group
            }
            result[dimension] = merged.map { $0.value.row(key: $0.key, dimension: dimension, scale: scale) }
                .sorted { BreakdownKeys.precedes($0.key, $1.key, dimension: dimension) }
        }
        return result
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}

extension String {
    /// Left-padded with zeros to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
