import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

/// Overlapping positions through PostgreSQL, with figures computed by hand: position 1 buys 10:00–12:00
/// (+10), position 2 sells 11:00–13:00 (−20), position 3 buys 14:00–15:00 (+30), 2024-05-06 UTC, from 1000.
@Suite struct SQLOverlapTests {
    static func event(_ serial: Int, _ position: Int, _ name: String, hour: Int, type: String, balance: Int?, equity: Int) -> String {
        let time = (1_714_953_600 + hour * 3600) * 1000  // 2024-05-06 00:00 UTC + hour
        let closing = balance.map { "\"closePrice\": 1.2, \"balance\": \($0)" } ?? "\"closePrice\": null, \"balance\": null"
        return """
            {"serial": \(serial), "orderId": null, "positionId": \(position), "event": "\(name)", "time": \(time), \
            "volume": 1000, "quantity": 0.01, "type": "\(type)", "entryPrice": 1.1, "tp": null, "sl": null, \
            \(closing), "grossProfit": 0, "pips": 0, "equity": \(equity)}
            """
    }

    static let events = "[" + [
        event(0, 1, "Create Position", hour: 10, type: "Buy", balance: nil, equity: 1000),
        event(1, 2, "Create Position", hour: 11, type: "Sell", balance: nil, equity: 1000),
        event(2, 1, "Position closed", hour: 12, type: "Buy", balance: 1010, equity: 1010),
        event(3, 2, "Position closed", hour: 13, type: "Sell", balance: 990, equity: 990),
        event(4, 3, "Create Position", hour: 14, type: "Buy", balance: nil, equity: 990),
        event(5, 3, "Position closed", hour: 15, type: "Buy", balance: 1020, equity: 1020),
    ].joined(separator: ",\n") + "]"

    @Test func overlapsRunsAndDrawdownsInSQL() async throws {
        try await TestDatabase.withStore { store, _ in
            let outcome = try await store.ingest(ImportInput(name: "events.json", data: Data(Self.events.utf8)))
            guard case .ingested(let backtest) = outcome else {
                Issue.record("not ingested: \(outcome)")
                return
            }
            let statistics = try #require(try await store.statistics(backtestID: backtest.id))
            #expect(statistics.startingBalance == 1000)
            #expect(statistics.all.netProfit == 20)
            #expect(statistics.exposureSeconds == 4 * 3600)
            #expect(statistics.exposureFraction == 0.8)
            #expect(statistics.all.maxConsecutiveWins == 1)
            #expect(statistics.all.maxConsecutiveLosses == 1)
            #expect(statistics.long.maxConsecutiveWins == 2)
            #expect(statistics.short.maxConsecutiveLosses == 1)
            #expect(statistics.maxBalanceDrawdown == 20)
            #expect(abs((statistics.maxBalanceDrawdownPercent ?? 0) - 20.0 / 1010.0 * 100) < 1e-9)
            #expect(statistics.maxEquityDrawdown == 20)
            #expect(statistics.all.profitFactor == 2)
            let trades = try await store.trades(backtestID: backtest.id)
            StatisticsAgreement.expectSame(statistics, TradeAnalytics.statistics(of: trades, startingBalance: 1000, equity: [
                EquitySample(time: .now, equity: 1000), EquitySample(time: .now, equity: 1000),
                EquitySample(time: .now, equity: 1010), EquitySample(time: .now, equity: 990),
                EquitySample(time: .now, equity: 990), EquitySample(time: .now, equity: 1020),
            ]))
            let curve = try #require(try await store.equityCurve(backtestID: backtest.id))
            #expect(curve.points.map(\.balance) == [1010, 990, 1020])
            #expect(curve.drawdowns.count == 1)
            #expect(curve.drawdowns.first?.recovery == Date(timeIntervalSince1970: 1_714_953_600 + 15 * 3600))
        }
    }
}
