import Analytics
import Foundation
import PipsightCore
import Testing
@testable import CBotGen

@Suite("What-if report")
struct WhatIfReportTests {
    /// 10 weeks of one Monday and one Wednesday trade a day at 10:00, 14:00 and 22:00: Wednesdays lose 30,
    /// Mondays win 20; 22:00 trades are sells.
    static func trades() -> [Trade] {
        var trades: [Trade] = []
        for week in 0..<10 {
            for (weekday, net) in [(0, Decimal(20)), (2, Decimal(-30))] {
                for hour in [10, 14, 22] {
                    trades.append(TradeFactory.trade(
                        id: trades.count, day: week * 7 + weekday, hour: hour, net: net, direction: hour == 22 ? .sell : .buy))
                }
            }
        }
        return trades
    }

    static func spec() -> StrategySpec {
        var spec = SpecFixtures.complete(template: .filter)
        spec.blockedWeekdays = [WeekdayRule(weekday: .wednesday, evidence: SpecFixtures.evidence("Wednesdays lost."))]
        spec.blockedHours = []
        spec.direction = nil
        return spec
    }

    @Test("the filters remove exactly the blocked trades; every metric is shown for both")
    func filtered() throws {
        let report = WhatIfReport.build(spec: Self.spec(), trades: Self.trades(), startingBalance: 1_000, splitDate: nil)
        // By construction: 60 trades, 30 on Wednesdays (-30 each), 30 on Mondays (+20 each).
        #expect(report.inSample.tradeCount == 60)
        #expect(report.inSample.keptTrades == 30)
        #expect(report.inSample.removedTrades == 30)
        #expect(report.inSample.removedNetProfit == -900)
        let expectedAll: Decimal = 30 * 20 - 30 * 30
        #expect(report.inSample.all.all.netProfit == expectedAll)
        #expect(report.inSample.withRules.all.netProfit == 600)
        #expect(report.inSample.withRules.all.tradeCount == 30)
        #expect(report.inSample.withRules.all.losingTrades == 0)
        #expect(report.outOfSample == nil)
        #expect(report.caveat.contains("In-sample"))
        #expect(report.rulesApplied.count == 1)
        #expect(report.notSimulated.contains { $0.hasPrefix("Stop loss 25.0 pips") })

        let markdown = report.markdown(title: "Test")
        #expect(markdown.contains(WhatIfReport.inSampleCaveat))
        #expect(markdown.contains("| all.netProfit | -300 | 600 | +900 |"))
        #expect(markdown.contains("| all.tradeCount | 60 | 30 | -30 |"))
        // Every metric the analytics computes has a row (here: every key of the encoded statistics).
        let keys = WhatIfComparison.flatten(report.inSample.all).keys
        #expect(keys.count > 30)
        for key in keys { #expect(markdown.contains("| \(key) |"), "missing row \(key)") }
    }

    @Test("hour and direction rules filter too")
    func hourAndDirection() {
        var spec = Self.spec()
        spec.blockedWeekdays = []
        spec.blockedHours = [HourRule(hour: 14, evidence: SpecFixtures.evidence("14 h."))]
        spec.direction = DirectionRule(allowed: .longOnly, evidence: SpecFixtures.evidence("Shorts."))
        let report = WhatIfReport.build(spec: spec, trades: Self.trades(), startingBalance: 1_000, splitDate: nil)
        // 10:00 trades remain (14:00 blocked, 22:00 are sells): 10 Mondays and 10 Wednesdays.
        #expect(report.inSample.keptTrades == 20)
        let expected: Decimal = 10 * 20 - 10 * 30
        #expect(report.inSample.withRules.all.netProfit == expected)
    }

    @Test("a split date reports in-sample and out-of-sample apart")
    func split() throws {
        let split = TradeFactory.monday.addingTimeInterval(6 * 7 * 86_400)
        let report = WhatIfReport.build(spec: Self.spec(), trades: Self.trades(), startingBalance: 1_000, splitDate: split)
        let out = try #require(report.outOfSample)
        // Weeks 0–5 before, 6–9 after: 36 and 24 trades.
        #expect(report.inSample.tradeCount == 36)
        #expect(out.tradeCount == 24)
        let expectedNet: Decimal = 4 * 3 * 20
        #expect(out.withRules.all.netProfit == expectedNet)
        // The out-of-sample part starts from the balance the account had at the split: 1000 + 6 × 3 × (20 - 30).
        let expectedBalance: Decimal = 1_000 + 6 * 3 * (20 - 30)
        #expect(out.all.startingBalance == expectedBalance)
        let json = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        #expect(json?["outOfSample"] != nil)
        #expect(report.markdown(title: "Test").contains("out-of-sample"))
    }
}
