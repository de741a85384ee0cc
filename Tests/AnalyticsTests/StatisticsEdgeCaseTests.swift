import Analytics
import Foundation
import PipsightCore
import Testing

@Suite struct StatisticsEdgeCaseTests {
    @Test func noTradesGiveZeroCountsAndNoRatios() {
        let statistics = TradeAnalytics.statistics(of: [], startingBalance: 1000)
        #expect(statistics.all.tradeCount == 0)
        #expect(statistics.all.winRate == nil)
        #expect(statistics.all.profitFactor == nil)
        #expect(statistics.all.profitFactorInfinite == false)
        #expect(statistics.sharpeRatio == nil)
        #expect(statistics.endingBalance == 1000)
    }
}
