import Foundation
import PipsightCore

/// Statistics of one side (all, long or short) in integer cents, as cTrader's `tradeStatistics` has them.
struct SideStatistics {
    var trades = 0
    var winners = 0
    var losers = 0
    var netCents: Int64 = 0
    var winningCents: Int64 = 0
    var losingCents: Int64 = 0
    var commissionCents: Int64 = 0
    var swapCents: Int64 = 0
    var largestWinCents: Int64 = 0
    var largestLossCents: Int64 = 0
    var maxConsecutiveWinners = 0
    var maxConsecutiveLosers = 0
    private var runWinners = 0
    private var runLosers = 0

    mutating func add(_ trade: SampleTrade) {
        let net = trade.netCents
        trades += 1
        netCents += net
        commissionCents += trade.commissionCents
        swapCents += trade.swapCents
        if net > 0 {
            winners += 1
            winningCents += net
            largestWinCents = max(largestWinCents, net)
            runWinners += 1
            runLosers = 0
        } else if net < 0 {
            losers += 1
            losingCents += net
            largestLossCents = min(largestLossCents, net)
            runLosers += 1
            runWinners = 0
        } else {
            runWinners = 0
            runLosers = 0
        }
        maxConsecutiveWinners = max(maxConsecutiveWinners, runWinners)
        maxConsecutiveLosers = max(maxConsecutiveLosers, runLosers)
    }

    /// Winning net over losing net, in hundredths; nil without losers.
    var profitFactorHundredths: Int64? {
        guard losingCents != 0 else { return nil }
        return winningCents * 100 / -losingCents
    }

    /// Mean net per trade in cents (truncated).
    var averageCents: Int64 { trades == 0 ? 0 : netCents / Int64(trades) }
}

/// Accumulates the ground truth and cTrader's statistics over generated trades, one at a time.
struct SampleStatistics {
    var all = SideStatistics()
    var long = SideStatistics()
    var short = SideStatistics()
    private(set) var truth = GroundTruth()
    let startingCapitalCents: Int64
    private(set) var balanceCents: Int64
    private var peakBalance: Int64
    private(set) var maxBalanceDrawdownCents: Int64 = 0
    /// Hundredths of a percent of the peak.
    private(set) var maxBalanceDrawdownBasisPoints: Int64 = 0
    private var peakEquity: Int64
    private(set) var maxEquityDrawdownCents: Int64 = 0
    private(set) var maxEquityDrawdownBasisPoints: Int64 = 0
    private(set) var firstOpenMilliseconds: Int64?
    private(set) var lastCloseMilliseconds: Int64?
    private var grossCents: Int64 = 0
    private var byWeekday: [Int64] = Array(repeating: 0, count: 7)
    private var byHour: [Int64] = Array(repeating: 0, count: 24)
    private var tradesByHour: [Int] = Array(repeating: 0, count: 24)
    private var byMonth: [String: Int64] = [:]
    private var largestWinCents: Int64 = 0
    private var largestLossCents: Int64 = 0
    private var peakBalanceTime: Int64?
    private var drawdownPeakTime: Int64?
    private var drawdownTroughTime: Int64?

    init(startingCapitalCents: Int64) {
        self.startingCapitalCents = startingCapitalCents
        balanceCents = startingCapitalCents
        peakBalance = startingCapitalCents
        peakEquity = startingCapitalCents
        truth.startingCapital = SampleNumber.decimal(startingCapitalCents, scale: 2)
    }

    mutating func add(_ trade: SampleTrade) {
        all.add(trade)
        if trade.direction == .buy { long.add(trade) } else { short.add(trade) }

        peakEquity = max(peakEquity, trade.balanceBeforeCents)
        let equityDrawdown = peakEquity - trade.minEquityCents
        if equityDrawdown > maxEquityDrawdownCents {
            maxEquityDrawdownCents = equityDrawdown
            maxEquityDrawdownBasisPoints = peakEquity > 0 ? equityDrawdown * 10_000 / peakEquity : 0
        }
        if trade.netCents > largestWinCents {
            largestWinCents = trade.netCents
            truth.largestWinPositionId = String(trade.positionId)
        }
        if trade.netCents < largestLossCents {
            largestLossCents = trade.netCents
            truth.largestLossPositionId = String(trade.positionId)
        }
        for deal in trade.deals {
            balanceCents = deal.balanceCents
            if balanceCents > peakBalance {
                peakBalance = balanceCents
                peakBalanceTime = deal.closeTimeMilliseconds
            }
            let drawdown = peakBalance - balanceCents
            if drawdown > maxBalanceDrawdownCents {
                maxBalanceDrawdownCents = drawdown
                drawdownPeakTime = peakBalanceTime
                drawdownTroughTime = deal.closeTimeMilliseconds
                maxBalanceDrawdownBasisPoints = peakBalance > 0 ? drawdown * 10_000 / peakBalance : 0
            }
        }
        peakEquity = max(peakEquity, trade.maxEquityCents, balanceCents)

        if firstOpenMilliseconds == nil { firstOpenMilliseconds = trade.openTimeMilliseconds }
        lastCloseMilliseconds = max(lastCloseMilliseconds ?? trade.closeTimeMilliseconds, trade.closeTimeMilliseconds)
        grossCents += trade.grossCents
        let openSeconds = trade.openTimeMilliseconds / 1000
        let weekday = SampleNumber.weekday(seconds: openSeconds)
        byWeekday[weekday] += trade.netCents
        let hour = Int((openSeconds % 86_400 + 86_400) % 86_400 / 3600)
        byHour[hour] += trade.netCents
        tradesByHour[hour] += 1
        truth.tradesByWeekday[SampleNumber.weekdayNames[weekday], default: 0] += 1
        let civil = SampleNumber.civil(trade.closeTimeMilliseconds)
        byMonth["\(civil.year)-\(SampleNumber.two(civil.month))", default: 0] += trade.netCents
        truth.dealCount += trade.deals.count
        if trade.deals.count > 1 { truth.partiallyClosedTrades += 1 }
        truth.stopLossModifications += trade.stopLossChanges.count
        truth.closeReasons[trade.closeReason.rawValue, default: 0] += 1
    }

    /// The ground truth of everything added so far.
    var groundTruth: GroundTruth {
        var result = truth
        let money = { (cents: Int64) in SampleNumber.decimal(cents, scale: 2) }
        result.tradeCount = all.trades
        result.longTrades = long.trades
        result.shortTrades = short.trades
        result.winningTrades = all.winners
        result.losingTrades = all.losers
        result.netProfit = money(all.netCents)
        result.grossProfit = money(grossCents)
        result.commissions = money(all.commissionCents)
        result.swaps = money(all.swapCents)
        result.largestWin = money(all.largestWinCents)
        result.largestLoss = money(all.largestLossCents)
        result.finalBalance = money(balanceCents)
        result.maxBalanceDrawdown = money(maxBalanceDrawdownCents)
        result.maxEquityDrawdown = money(maxEquityDrawdownCents)
        for (index, cents) in byWeekday.enumerated() where result.tradesByWeekday[SampleNumber.weekdayNames[index]] != nil {
            result.netByWeekday[SampleNumber.weekdayNames[index]] = money(cents)
        }
        for (hour, cents) in byHour.enumerated() where tradesByHour[hour] > 0 {
            result.netByOpenHour[SampleNumber.two(hour)] = money(cents)
        }
        result.firstOpenTime = firstOpenMilliseconds.map(SampleNumber.date)
        result.maxConsecutiveWins = all.maxConsecutiveWinners
        result.maxConsecutiveLosses = all.maxConsecutiveLosers
        result.maxBalanceDrawdownPeakTime = drawdownPeakTime.map(SampleNumber.date)
        result.maxBalanceDrawdownTroughTime = drawdownTroughTime.map(SampleNumber.date)
        result.netByMonth = byMonth.mapValues(money)
        result.lastCloseTime = lastCloseMilliseconds.map(SampleNumber.date)
        return result
    }
}
