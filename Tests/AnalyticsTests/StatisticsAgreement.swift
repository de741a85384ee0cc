import Analytics
import Foundation
import Testing

/// Compares two computations of the same figures: money exactly, ratios to 1e-9 relative.
enum StatisticsAgreement {
    static func close(_ lhs: Double?, _ rhs: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        switch (lhs, rhs) {
        case (nil, nil): return
        case (let lhs?, let rhs?):
            #expect(abs(lhs - rhs) <= 1e-9 * max(1, abs(lhs)), "\(what): \(lhs) vs \(rhs)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(what): \(String(describing: lhs)) vs \(String(describing: rhs))", sourceLocation: sourceLocation)
        }
    }

    static func expectSame(_ sql: DirectionStatistics, _ swift: DirectionStatistics, _ side: String) {
        var sqlExact = sql
        var swiftExact = swift
        for value in [\DirectionStatistics.winRate, \.profitFactor, \.averageHoldingSeconds] {
            close(sql[keyPath: value], swift[keyPath: value], "\(side) \(value)")
            sqlExact[keyPath: value] = nil
            swiftExact[keyPath: value] = nil
        }
        #expect(sqlExact == swiftExact, "\(side)")
    }

    static func expectSame(_ sql: BacktestStatistics, _ swift: BacktestStatistics) {
        expectSame(sql.all, swift.all, "all")
        expectSame(sql.long, swift.long, "long")
        expectSame(sql.short, swift.short, "short")
        #expect(sql.startingBalance == swift.startingBalance)
        #expect(sql.endingBalance == swift.endingBalance)
        #expect(sql.maxBalanceDrawdown == swift.maxBalanceDrawdown)
        close(sql.maxBalanceDrawdownPercent, swift.maxBalanceDrawdownPercent, "balance drawdown %")
        #expect(sql.maxEquityDrawdown == swift.maxEquityDrawdown)
        close(sql.maxEquityDrawdownPercent, swift.maxEquityDrawdownPercent, "equity drawdown %")
        close(sql.recoveryFactor, swift.recoveryFactor, "recovery factor")
        close(sql.sharpeRatio, swift.sharpeRatio, "sharpe")
        close(sql.sortinoRatio, swift.sortinoRatio, "sortino")
        #expect(sql.dayCount == swift.dayCount)
        close(sql.exposureSeconds, swift.exposureSeconds, "exposure")
        close(sql.exposureFraction, swift.exposureFraction, "exposure fraction")
        #expect(sql.firstOpenTime == swift.firstOpenTime)
        #expect(sql.lastCloseTime == swift.lastCloseTime)
    }

    static func expectSame(_ sql: EquityCurve, _ swift: EquityCurve) {
        #expect(sql.startingBalance == swift.startingBalance)
        #expect(sql.points == swift.points)
        #expect(sql.drawdowns.count == swift.drawdowns.count)
        for (lhs, rhs) in zip(sql.drawdowns, swift.drawdowns) {
            #expect(lhs.start == rhs.start && lhs.trough == rhs.trough && lhs.recovery == rhs.recovery)
            #expect(lhs.depth == rhs.depth)
        }
        #expect(sql.daily.count == swift.daily.count)
        for (lhs, rhs) in zip(sql.daily, swift.daily) {
            #expect(lhs.date == rhs.date && lhs.tradeCount == rhs.tradeCount && lhs.balance == rhs.balance)
            close(lhs.dailyReturn, rhs.dailyReturn, "return \(lhs.date)")
        }
    }
}
