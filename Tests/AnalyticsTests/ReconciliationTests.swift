import Analytics
import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import Testing

/// Computed statistics against the export's own: a generated report.json and the real events.json.
@Suite struct ReconciliationTests {
    static func report(seed: UInt64, trades: Int) throws -> ParsedExport {
        let data = SampleGenerator(seed: seed, trades: trades).write(.reportJSON)
        return try ReportJSONParser().parseAll(ImportInput(name: "report.json", data: data))
    }

    @Test(arguments: [(UInt64(7), 300), (UInt64(8), 1), (UInt64(9), 2_000)])
    func generatedReportReconciles(seed: UInt64, count: Int) throws {
        let export = try Self.report(seed: seed, trades: count)
        let statistics = TradeAnalytics.statistics(of: export.trades, startingBalance: export.header.startingCapital)
        let report = Reconciliation.compare(reported: export.header.reportedStatistics, with: statistics)
        // 12 tradeStatistics keys × 3 sides + 2 balance drawdown keys.
        #expect(report.checked == 38)
        #expect(report.differences == [])
        let balances = Reconciliation.compareBalances(of: export.trades, startingBalance: export.header.startingCapital)
        #expect(balances.checked == export.trades.count)
        #expect(balances.isConsistent)
    }

    @Test func aChangedReportedFigureIsADifference() throws {
        let export = try Self.report(seed: 7, trades: 300)
        let statistics = TradeAnalytics.statistics(of: export.trades, startingBalance: export.header.startingCapital)
        guard case .object(var root) = export.header.reportedStatistics,
              case .object(var trade) = root["tradeStatistics"],
              case .object(var net) = trade["netProfit"],
              case .number(let value) = net["all"]
        else {
            Issue.record("report.json has no tradeStatistics.netProfit.all")
            return
        }
        net["all"] = .number(value + 0.02)
        trade["netProfit"] = .object(net)
        root["tradeStatistics"] = .object(trade)
        let report = Reconciliation.compare(reported: .object(root), with: statistics)
        #expect(report.differences.map(\.metric) == ["tradeStatistics.netProfit.all"])
    }

    /// Expected values read straight from the file with JSONSerialization, not through Pipsight's parser.
    @Test func realEventsReconcile() throws {
        let data = try Data(contentsOf: AnalyticsTestSupport.realEventsURL)
        let raw = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let closes = raw.filter { ["Stop Loss Hit", "Take Profit Hit", "Position closed"].contains($0["event"] as? String) }
        let startingEquity = try #require(raw.first?["equity"] as? Double)
        let finalBalance = try #require(closes.last?["balance"] as? Double)
        var peak = startingEquity, worstBalanceFall = 0.0
        for close in closes {
            let balance = try #require(close["balance"] as? Double)
            peak = max(peak, balance)
            worstBalanceFall = max(worstBalanceFall, peak - balance)
        }
        var equityPeak = startingEquity, worstEquityFall = 0.0
        for event in raw {
            guard let equity = event["equity"] as? Double else { continue }
            equityPeak = max(equityPeak, equity)
            worstEquityFall = max(worstEquityFall, equityPeak - equity)
        }

        let export = try EventsJSONParser().parseAll(ImportInput(name: "events.json", data: data))
        let samples = export.events.compactMap { event in event.equity.map { EquitySample(time: event.time, equity: $0) } }
        let statistics = TradeAnalytics.statistics(
            of: export.trades, startingBalance: export.header.startingCapital, equity: samples)
        #expect(statistics.all.tradeCount == closes.count)
        #expect(abs(statistics.all.netProfit.doubleValue - (finalBalance - startingEquity)) < 0.005)
        #expect(abs((statistics.endingBalance?.doubleValue ?? 0) - finalBalance) < 0.005)
        #expect(abs(statistics.maxBalanceDrawdown.doubleValue - worstBalanceFall) < 0.005)
        #expect(abs((statistics.maxEquityDrawdown?.doubleValue ?? -1) - worstEquityFall) < 0.005)
        let balances = Reconciliation.compareBalances(of: export.trades, startingBalance: export.header.startingCapital)
        #expect(balances.checked == closes.count)
        #expect(balances.differences == [])
    }
}

extension Decimal {
    var doubleValue: Double { NSDecimalNumber(decimal: self).doubleValue }
}
