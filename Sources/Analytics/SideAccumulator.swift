import Foundation

/// Adds trades one by one (in close-time order) into one side's statistics.
struct SideAccumulator {
    private var count = 0
    private var winners = 0
    private var losers = 0
    private var net: Decimal = 0
    private var grossProfit: Decimal = 0
    private var grossLoss: Decimal = 0
    private var commissions: Decimal = 0
    private var swaps: Decimal = 0
    private var largestWin: Decimal = 0
    private var largestLoss: Decimal = 0
    private var winRun = 0
    private var lossRun = 0
    private var maxWinRun = 0
    private var maxLossRun = 0
    private var holdingSeconds: Double = 0

    mutating func add(_ closed: ClosedTrade) {
        let value = closed.net
        count += 1
        net += value
        commissions += closed.trade.commissions ?? 0
        swaps += closed.trade.swaps ?? 0
        holdingSeconds += closed.holdingSeconds
        if value > 0 {
            winners += 1
            grossProfit += value
            largestWin = max(largestWin, value)
            winRun += 1
            lossRun = 0
        } else if value < 0 {
            losers += 1
            grossLoss += value
            largestLoss = min(largestLoss, value)
            lossRun += 1
            winRun = 0
        } else {
            winRun = 0
            lossRun = 0
        }
        maxWinRun = max(maxWinRun, winRun)
        maxLossRun = max(maxLossRun, lossRun)
    }

    var statistics: DirectionStatistics {
        DirectionStatistics.fromTotals(
            tradeCount: count, winningTrades: winners, losingTrades: losers, netProfit: net, grossProfit: grossProfit,
            grossLoss: grossLoss, commissions: commissions, swaps: swaps, largestWin: largestWin,
            largestLoss: largestLoss, maxConsecutiveWins: maxWinRun, maxConsecutiveLosses: maxLossRun,
            averageHoldingSeconds: count > 0 ? holdingSeconds / Double(count) : nil)
    }
}
