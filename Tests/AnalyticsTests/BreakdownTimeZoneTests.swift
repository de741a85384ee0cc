import Analytics
import Foundation
import PipsightCore
import Testing

/// Hours, weekdays and months in a chosen time zone, across a DST change and midnight.
@Suite struct BreakdownTimeZoneTests {
    typealias Support = AnalyticsTestSupport

    /// London moves from GMT to BST at 01:00 UTC on 2024-03-31: 00:30 UTC is 00:30 local the day
    /// before the change and 01:30 local the day after.
    @Test func hoursFollowDaylightSavingTime() throws {
        let trades = [
            Support.trade("1", open: "2024-03-30T00:30:00Z", close: "2024-03-30T01:00:00Z", net: 10),
            Support.trade("2", open: "2024-04-01T00:30:00Z", close: "2024-04-01T01:00:00Z", net: -4),
        ]
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        let local = TradeAnalytics.breakdown(of: trades, by: .hour, timeZone: london)
        #expect(local.map(\.key) == ["00", "01"])
        #expect(local.map(\.netProfit) == [10, -4])
        let plain = TradeAnalytics.breakdown(of: trades, by: .hour, timeZone: utc)
        #expect(plain.map(\.key) == ["00"])
        #expect(plain.first?.tradeCount == 2)
        #expect(plain.first?.label == "00:00–00:59")
    }

    /// Sunday 2024-03-31 23:30 UTC is Monday 01:30 in Berlin (CEST, UTC+2 from that morning); the close
    /// on 2024-04-01 falls in April either way, the open in March.
    @Test func weekdaysAndMonthsAcrossMidnight() throws {
        let trade = Support.trade("1", open: "2024-03-31T23:30:00Z", close: "2024-04-01T00:30:00Z", net: 7)
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        let utcDay = TradeAnalytics.breakdown(of: [trade], by: .weekday, timeZone: utc)
        #expect(utcDay.map(\.key) == ["7"])
        #expect(utcDay.map(\.label) == ["Sunday"])
        let berlinDay = TradeAnalytics.breakdown(of: [trade], by: .weekday, timeZone: berlin)
        #expect(berlinDay.map(\.label) == ["Monday"])
        let months = TradeAnalytics.breakdown(of: [trade], by: .month, timeZone: utc)
        #expect(months.map(\.key) == ["2024-04"])
        #expect(months.map(\.label) == ["April 2024"])
        let daily = TradeAnalytics.fullEquityCurve(of: [trade], startingBalance: 100).daily
        #expect(daily.map(\.date) == ["2024-04-01"])
    }

    @Test func holdingBucketsAndExitReasonsInTheirOrder() throws {
        let trades = [
            Support.trade("1", open: "2024-05-06T10:00:00Z", close: "2024-05-06T10:00:30Z", net: 1, reason: .takeProfit),
            Support.trade("2", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: -2, reason: .stopLoss),
            Support.trade("3", open: "2024-05-06T10:00:00Z", close: "2024-05-14T10:00:00Z", net: 3, reason: .manual),
            Support.trade("4", open: "2024-05-06T10:00:00Z", close: "2024-05-06T10:59:59Z", net: 4, reason: .stopLoss),
        ]
        let utc = try #require(TimeZone(identifier: "UTC"))
        let holding = TradeAnalytics.breakdown(of: trades, by: .holdingTime, timeZone: utc)
        #expect(holding.map(\.key) == ["0-1m", "15m-1h", "1h-4h", "1w+"])
        let exits = TradeAnalytics.breakdown(of: trades, by: .exitReason, timeZone: utc)
        #expect(exits.map(\.label) == ["S/L", "T/P", "Manual"])
        #expect(exits.first?.tradeCount == 2)
        #expect(exits.first?.profitFactor == 2)
        #expect(exits.first?.winRate == 0.5)
    }

    @Test func dimensionsReadTheirShortSpellings() {
        #expect(BreakdownDimension(text: "holding") == .holdingTime)
        #expect(BreakdownDimension(text: "exit") == .exitReason)
        #expect(BreakdownDimension(text: "Weekday") == .weekday)
        #expect(BreakdownDimension(text: "nonsense") == nil)
    }
}
