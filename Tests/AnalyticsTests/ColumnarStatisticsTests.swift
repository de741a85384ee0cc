import Analytics
import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import Testing

/// The columnar engine (`ColumnarStatistics` over `TradeColumns`) against `TradeAnalytics` over the same
/// trades: generated data with partial closes, trades out of close order, mixed decimals, several time
/// zones, the real events.json, and no trades.
@Suite struct ColumnarStatisticsTests {
    static let zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]

    static func expectAgreement(_ trades: [Trade], capital: Decimal?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let columns = try #require(TradeColumns(trades: trades), sourceLocation: sourceLocation)
        for name in zones {
            let zone = try #require(TimeZone(identifier: name))
            let result = try #require(
                ColumnarStatistics.compute(
                    columns, startingCapital: capital, breakdowns: BreakdownDimension.allCases, timeZone: zone),
                sourceLocation: sourceLocation)
            var statistics = result.statistics
            let expected = TradeAnalytics.statistics(of: trades, startingBalance: capital)
            // Times are kept to the millisecond, as PostgreSQL stores them, and read back as its driver reads
            // them: the same instant, possibly another last bit of the Double than the parser's own `Date`.
            for time in [\BacktestStatistics.firstOpenTime, \.lastCloseTime] {
                if let mine = statistics[keyPath: time], let theirs = expected[keyPath: time] {
                    #expect(abs(mine.timeIntervalSince(theirs)) < 0.0005, sourceLocation: sourceLocation)
                } else {
                    #expect(statistics[keyPath: time] == expected[keyPath: time], sourceLocation: sourceLocation)
                }
                statistics[keyPath: time] = expected[keyPath: time]
            }
            StatisticsAgreement.expectSame(statistics, expected)
            for dimension in BreakdownDimension.allCases {
                #expect(
                    result.breakdowns[dimension] == TradeAnalytics.breakdown(of: trades, by: dimension, timeZone: zone),
                    "\(dimension) in \(name)", sourceLocation: sourceLocation)
            }
            let balances = Reconciliation.compareBalances(of: trades, startingBalance: capital)
            if result.statistics.startingBalance != nil {
                #expect(result.balancesChecked == balances.checked, sourceLocation: sourceLocation)
                #expect(result.balancesDiffering == balances.differences.count, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func generatedTradesAgree() throws {
        let generator = SampleGenerator(seed: 31, trades: 700)
        let trades = generator.pipsightTrades()
        #expect(trades.contains { $0.deals.count > 1 })
        try Self.expectAgreement(trades, capital: Decimal(generator.startingCapital))
        // Without a starting capital: derived from the first trade's balance.
        try Self.expectAgreement(trades, capital: nil)
    }

    @Test func tradesOutOfCloseOrderAndMixedDecimalsAgree() throws {
        var trades = SampleGenerator(seed: 32, trades: 300).pipsightTrades()
        var random = SplitMix64(seed: 5)
        trades.shuffle(using: &random)
        // A few amounts with more decimals than cents: the columns rescale, money stays exact.
        trades[3].netProfit = Decimal(string: "12.3456")
        trades[150].commissions = Decimal(string: "-0.125")
        trades[299].swaps = Decimal(string: "0.0001")
        try Self.expectAgreement(trades, capital: Decimal(string: "10000.005"))
    }

    @Test func realEventsAgree() throws {
        let data = try Data(contentsOf: AnalyticsTestSupport.realEventsURL)
        let export = try EventsJSONParser().parseAll(ImportInput(name: "events.json", data: data))
        try Self.expectAgreement(export.trades, capital: export.header.startingCapital)
    }

    @Test func noTrades() throws {
        let result = try #require(ColumnarStatistics.compute(
            TradeColumns(), startingCapital: 1000, breakdowns: BreakdownDimension.allCases, timeZone: .gmt))
        StatisticsAgreement.expectSame(result.statistics, TradeAnalytics.statistics(of: [], startingBalance: 1000))
        #expect(result.breakdowns.values.allSatisfy { $0.isEmpty })
        #expect(result.balancesChecked == 0)
    }

    /// An amount beyond the columns' exactness (more than eighteen decimals, or beyond 64 bits at the common
    /// scale) gives no columns, never rounded ones.
    @Test func amountsBeyondTheColumnsGiveNoColumns() {
        var trades = SampleGenerator(seed: 33, trades: 5).pipsightTrades()
        trades[2].netProfit = Decimal(string: "1.0000000000000000001")
        #expect(TradeColumns(trades: trades) == nil)
        // Fifteen decimals and a balance of 100,000: 10^20 units, beyond 64 bits.
        trades[2].netProfit = Decimal(string: "0.000000000000001")
        trades[3].balance = Decimal(string: "100000")
        #expect(TradeColumns(trades: trades) == nil)
        // Twelve decimals fit beside the generator's balances.
        trades[2].netProfit = Decimal(string: "0.000000000001")
        trades[3].balance = Decimal(string: "10000")
        #expect(TradeColumns(trades: trades)?.moneyScale == 12)
    }

    /// Exact sums: 0.1 added ten times is 1, not 0.9999999999999999.
    @Test func moneyIsSummedExactly() throws {
        let trades = (0..<10).map { index in
            AnalyticsTestSupport.trade(
                "\(index)", open: "2024-05-06T10:00:00Z", close: "2024-05-06T11:00:00Z", net: Decimal(string: "0.1") ?? 0)
        }
        let columns = try #require(TradeColumns(trades: trades))
        let result = try #require(ColumnarStatistics.compute(columns, startingCapital: 100, breakdowns: [.symbol], timeZone: .gmt))
        #expect(result.statistics.all.netProfit == 1)
        #expect(result.breakdowns[.symbol]?.first?.netProfit == 1)
        #expect(result.statistics.endingBalance == 101)
    }
}
