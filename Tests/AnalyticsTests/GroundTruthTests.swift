import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import Testing

/// In-memory statistics against the sample generator's ground truth (computed from integer cents by the
/// generator itself, independently of Analytics).
@Suite struct GroundTruthTests {
    static let generator = SampleGenerator(seed: 42, trades: 600)

    @Test func totalsMatchGroundTruth() {
        let truth = Self.generator.groundTruth
        let statistics = TradeAnalytics.statistics(
            of: Self.generator.pipsightTrades(), startingBalance: Decimal(Self.generator.startingCapital))
        #expect(statistics.all.tradeCount == truth.tradeCount)
        #expect(statistics.long.tradeCount == truth.longTrades)
        #expect(statistics.short.tradeCount == truth.shortTrades)
        #expect(statistics.all.winningTrades == truth.winningTrades)
        #expect(statistics.all.losingTrades == truth.losingTrades)
        #expect(statistics.all.netProfit == truth.netProfit)
        #expect(statistics.all.commissions == truth.commissions)
        #expect(statistics.all.swaps == truth.swaps)
        #expect(statistics.all.largestWin == truth.largestWin)
        #expect(statistics.all.largestLoss == truth.largestLoss)
        #expect(statistics.endingBalance == truth.finalBalance)
        #expect(statistics.maxBalanceDrawdown == truth.maxBalanceDrawdown)
        #expect(statistics.firstOpenTime == truth.firstOpenTime)
        #expect(statistics.lastCloseTime == truth.lastCloseTime)
    }

    @Test func weekdayAndHourBreakdownsMatchGroundTruth() throws {
        let truth = Self.generator.groundTruth
        let trades = Self.generator.pipsightTrades()
        let utc = try #require(TimeZone(identifier: "UTC"))
        let weekdays = TradeAnalytics.breakdown(of: trades, by: .weekday, timeZone: utc)
        #expect(weekdays.count == truth.tradesByWeekday.count)
        for row in weekdays {
            #expect(row.tradeCount == truth.tradesByWeekday[row.label], "\(row.label)")
            #expect(row.netProfit == truth.netByWeekday[row.label], "\(row.label)")
        }
        let hours = TradeAnalytics.breakdown(of: trades, by: .hour, timeZone: utc)
        #expect(Dictionary(uniqueKeysWithValues: hours.map { ($0.key, $0.netProfit) }) == truth.netByOpenHour)
    }

    @Test func exitReasonAndDirectionBreakdownsMatchGroundTruth() throws {
        let truth = Self.generator.groundTruth
        let trades = Self.generator.pipsightTrades()
        let utc = try #require(TimeZone(identifier: "UTC"))
        let reasons = TradeAnalytics.breakdown(of: trades, by: .exitReason, timeZone: utc)
        #expect(Dictionary(uniqueKeysWithValues: reasons.map { ($0.key, $0.tradeCount) }) == truth.closeReasons)
        let directions = TradeAnalytics.breakdown(of: trades, by: .direction, timeZone: utc)
        #expect(directions.map(\.key) == ["buy", "sell"])
        #expect(directions.map(\.tradeCount) == [truth.longTrades, truth.shortTrades])
        #expect(directions.map(\.netProfit).reduce(0, +) == truth.netProfit)
    }

    @Test func everyBreakdownCoversEveryTrade() throws {
        let trades = Self.generator.pipsightTrades()
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        for dimension in BreakdownDimension.allCases {
            let rows = TradeAnalytics.breakdown(of: trades, by: dimension, timeZone: zone)
            #expect(rows.map(\.tradeCount).reduce(0, +) == trades.count, "\(dimension)")
        }
    }

    @Test func equityCurveEndsAtTheFinalBalance() {
        let truth = Self.generator.groundTruth
        let curve = TradeAnalytics.fullEquityCurve(
            of: Self.generator.pipsightTrades(), startingBalance: Decimal(Self.generator.startingCapital))
        #expect(curve.points.count == truth.tradeCount)
        #expect(curve.points.last?.balance == truth.finalBalance)
        #expect(curve.daily.last?.balance == truth.finalBalance)
        #expect(curve.daily.map(\.tradeCount).reduce(0, +) == truth.tradeCount)
        // No partial close interleaves with another trade here, so the deepest per-trade period can only be
        // as deep as the per-deal drawdown.
        let deepest = curve.drawdowns.map(\.depth).max() ?? 0
        #expect(deepest <= truth.maxBalanceDrawdown)
        #expect(deepest > 0)
    }
}
