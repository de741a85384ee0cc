import Analytics
import Foundation
import PipsightCore
import Testing

/// Hand-computed cases: no trades, one trade, all winners, partial closes, ratios.
@Suite struct StatisticsEdgeCaseTests {
    typealias Support = AnalyticsTestSupport

    @Test func noTradesGiveZeroCountsAndNoRatios() throws {
        let statistics = TradeAnalytics.statistics(of: [], startingBalance: 1000)
        #expect(statistics.all.tradeCount == 0)
        #expect(statistics.all.winRate == nil)
        #expect(statistics.all.profitFactor == nil)
        #expect(statistics.all.profitFactorInfinite == false)
        #expect(statistics.all.averageTrade == nil)
        #expect(statistics.sharpeRatio == nil)
        #expect(statistics.exposureFraction == nil)
        #expect(statistics.endingBalance == 1000)
        #expect(statistics.maxBalanceDrawdown == 0)
        #expect(TradeAnalytics.equityCurve(of: [], startingBalance: 1000) == [])
        #expect(TradeAnalytics.fullEquityCurve(of: [], startingBalance: 1000).daily == [])
        let utc = try #require(TimeZone(identifier: "UTC"))
        for dimension in BreakdownDimension.allCases {
            #expect(TradeAnalytics.breakdown(of: [], by: dimension, timeZone: utc) == [])
        }
    }

    @Test func oneTrade() {
        let trade = Support.trade("1", .sell, open: "2024-05-06T10:00:00Z", close: "2024-05-06T12:30:00Z", net: -25)
        let statistics = TradeAnalytics.statistics(of: [trade], startingBalance: 1000)
        #expect(statistics.all.tradeCount == 1)
        #expect(statistics.short.losingTrades == 1)
        #expect(statistics.long.tradeCount == 0)
        #expect(statistics.all.winRate == 0)
        #expect(statistics.all.profitFactor == 0)
        #expect(statistics.all.averageLoss == -25)
        #expect(statistics.all.largestLoss == -25)
        #expect(statistics.all.maxConsecutiveLosses == 1)
        #expect(statistics.all.averageHoldingSeconds == 9000)
        #expect(statistics.maxBalanceDrawdown == 25)
        #expect(statistics.maxBalanceDrawdownPercent == 2.5)
        #expect(statistics.recoveryFactor == -1)
        #expect(statistics.dayCount == 1)
        #expect(statistics.sharpeRatio == nil)
        #expect(statistics.exposureFraction == 1)
    }

    @Test func allWinnersHaveAnInfiniteProfitFactorAndValidJSON() throws {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: 10),
            Support.trade("2", open: "2024-05-07T10:00:00Z", close: "2024-05-07T11:00:00Z", net: 30),
        ]
        let statistics = TradeAnalytics.statistics(of: trades, startingBalance: 1000)
        #expect(statistics.all.profitFactor == nil)
        #expect(statistics.all.profitFactorInfinite)
        #expect(statistics.all.profitFactorText == "∞")
        #expect(statistics.short.profitFactorInfinite == false)
        #expect(statistics.all.maxConsecutiveWins == 2)
        #expect(statistics.sortinoRatio == nil)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let rows = TradeAnalytics.breakdown(of: trades, by: .direction, timeZone: utc)
        #expect(rows.first?.profitFactorInfinite == true)
        let json = String(decoding: try JSONEncoder().encode(statistics), as: UTF8.self)
        #expect(!json.lowercased().contains("nan"))
        #expect(!json.lowercased().contains("inf\""))
        #expect(json.contains("\"profitFactorInfinite\":true"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(decoded != nil)
    }

    /// One position closed in two deals, another trade between them would not fit: deal 1 loses 50,
    /// deal 2 wins 80. The balance falls to 950 before reaching 1030: a drawdown of 50 the per-trade
    /// curve never shows.
    @Test func partialClosesCountEveryDealInTheBalanceDrawdown() {
        let deals = [
            Deal(dealId: "1a", closeTime: Support.date("2024-05-06T11:00:00Z"), netProfit: -50),
            Deal(dealId: "1b", closeTime: Support.date("2024-05-06T12:00:00Z"), netProfit: 80),
        ]
        let trade = Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T12:00:00Z", net: 30, deals: deals)
        let statistics = TradeAnalytics.statistics(of: [trade], startingBalance: 1000)
        #expect(statistics.all.winningTrades == 1)
        #expect(statistics.all.netProfit == 30)
        #expect(statistics.maxBalanceDrawdown == 50)
        #expect(statistics.maxBalanceDrawdownPercent == 5)
        #expect(TradeAnalytics.equityCurve(of: [trade], startingBalance: 1000).map(\.balance) == [1030])
    }

    /// Daily returns 1000 → +10 (1 %), → −20.2 (−2 %), → +49.49 (+5 %) on three consecutive days.
    @Test func sharpeAndSortinoFromDailyReturns() throws {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: 10),
            Support.trade("2", open: "2024-05-07T10:00:00Z", close: "2024-05-07T11:00:00Z", net: Decimal(string: "-20.2") ?? 0),
            Support.trade("3", open: "2024-05-08T10:00:00Z", close: "2024-05-08T11:00:00Z", net: Decimal(string: "49.49") ?? 0),
        ]
        let statistics = TradeAnalytics.statistics(of: trades, startingBalance: 1000)
        let returns = [0.01, -0.02, 0.05]
        let mean = 0.04 / 3
        let sd = ((0.01 - mean) * (0.01 - mean) + (-0.02 - mean) * (-0.02 - mean) + (0.05 - mean) * (0.05 - mean)) / 2
        let expectedSharpe = mean / sd.squareRoot() * 365.0.squareRoot()
        let expectedSortino = mean / (0.0004 / 3).squareRoot() * 365.0.squareRoot()
        #expect(statistics.dayCount == 3)
        #expect(abs((statistics.sharpeRatio ?? 0) - expectedSharpe) < 1e-9)
        #expect(abs((statistics.sortinoRatio ?? 0) - expectedSortino) < 1e-9)
        let daily = TradeAnalytics.fullEquityCurve(of: trades, startingBalance: 1000).daily
        for (point, expected) in zip(daily, returns) {
            #expect(abs((point.dailyReturn ?? 0) - expected) < 1e-12)
        }
    }

    /// Days without a close are in the daily series with a zero return.
    @Test func dailySeriesFillsEmptyDays() {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: 10),
            Support.trade("2", open: "2024-05-08T10:00:00Z", close: "2024-05-08T11:00:00Z", net: -5),
        ]
        let daily = TradeAnalytics.fullEquityCurve(of: trades, startingBalance: 100).daily
        #expect(daily.map(\.date) == ["2024-05-06", "2024-05-07", "2024-05-08"])
        #expect(daily.map(\.tradeCount) == [1, 0, 1])
        #expect(daily.map(\.balance) == [110, 110, 105])
        #expect(daily[1].dailyReturn == 0)
    }

    /// Peak 1100 after trade 1, trough 1000 after trade 3, recovered by trade 4; a second, open period.
    @Test func drawdownPeriodsHaveStartTroughAndRecovery() {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: 100),
            Support.trade("2", open: "2024-05-07T10:00:00Z", close: "2024-05-07T11:00:00Z", net: -50),
            Support.trade("3", open: "2024-05-08T10:00:00Z", close: "2024-05-08T11:00:00Z", net: -50),
            Support.trade("4", open: "2024-05-09T10:00:00Z", close: "2024-05-09T11:00:00Z", net: 150),
            Support.trade("5", open: "2024-05-10T10:00:00Z", close: "2024-05-10T11:00:00Z", net: -25),
        ]
        let periods = TradeAnalytics.fullEquityCurve(of: trades, startingBalance: 1000).drawdowns
        #expect(periods.count == 2)
        #expect(periods.first?.start == Support.date("2024-05-06T11:00:00Z"))
        #expect(periods.first?.trough == Support.date("2024-05-08T11:00:00Z"))
        #expect(periods.first?.recovery == Support.date("2024-05-09T11:00:00Z"))
        #expect(periods.first?.depth == 100)
        #expect(periods.last?.recovery == nil)
        #expect(periods.last?.depth == 25)
        #expect(periods.last?.peakBalance == 1150)
    }

    /// Positions 10:00–12:00 and 11:00–13:00 overlap: exposed 3 h of the 3 h span; a third, 14:00–15:00,
    /// adds 1 h over a 5 h span.
    @Test func exposureCountsOverlapsOnce() {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T12:00:00Z", net: 1),
            Support.trade("2", open: "2024-05-06T11:00:00Z", close: "2024-05-06T13:00:00Z", net: 1),
            Support.trade("3", open: "2024-05-06T14:00:00Z", close: "2024-05-06T15:00:00Z", net: 1),
        ]
        let statistics = TradeAnalytics.statistics(of: trades, startingBalance: nil)
        #expect(statistics.exposureSeconds == 4 * 3600)
        #expect(statistics.exposureFraction == 0.8)
        #expect(statistics.startingBalance == nil)
        #expect(statistics.maxBalanceDrawdownPercent == nil)
    }

    @Test func startingBalanceComesFromTheFirstTradesBalance() {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: 10, balance: 510),
            Support.trade("2", open: "2024-05-06T12:00:00Z", close: "2024-05-06T13:00:00Z", net: -20, balance: 490),
        ]
        let statistics = TradeAnalytics.statistics(of: trades, startingBalance: nil)
        #expect(statistics.startingBalance == 500)
        #expect(statistics.endingBalance == 490)
        #expect(statistics.maxBalanceDrawdown == 20)
    }
}
