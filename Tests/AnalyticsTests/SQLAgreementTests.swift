import Analytics
import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

/// Statistics aggregated in PostgreSQL against the same statistics computed in Swift, on generated data
/// (partial closes, every close reason) and on the real events.json (equity drawdown from events).
@Suite struct SQLAgreementTests {
    static func ingest(_ store: BacktestStore, _ data: Data, name: String) async throws -> UUID {
        let outcome = try await store.ingest(ImportInput(name: name, data: data))
        guard case .ingested(let backtest) = outcome else { throw PipsightError(.database, "not ingested: \(outcome)") }
        return backtest.id
    }

    @Test func generatedReportAgrees() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 11, trades: 800)
            let id = try await Self.ingest(store, generator.write(.reportJSON), name: "report.json")
            let trades = try await store.trades(backtestID: id)
            let capital = Decimal(generator.startingCapital)
            let swift = TradeAnalytics.statistics(of: trades, startingBalance: capital)
            let sql = try #require(try await store.statistics(backtestID: id))
            StatisticsAgreement.expectSame(sql, swift)
            // And both against the generator's own totals.
            let truth = generator.groundTruth
            #expect(sql.all.netProfit == truth.netProfit)
            #expect(sql.maxBalanceDrawdown == truth.maxBalanceDrawdown)
            #expect(trades.filter { $0.deals.count > 1 }.count == truth.partiallyClosedTrades)
            #expect(truth.partiallyClosedTrades > 0)

            for name in ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"] {
                let zone = try #require(TimeZone(identifier: name))
                let all = try await store.breakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
                for dimension in BreakdownDimension.allCases {
                    let expected = TradeAnalytics.breakdown(of: trades, by: dimension, timeZone: zone)
                    #expect(all[dimension] == expected, "\(dimension) in \(name)")
                }
            }
            let single = try await store.breakdown(backtestID: id, by: .hour, timeZone: .gmt)
            #expect(single == TradeAnalytics.breakdown(of: trades, by: .hour, timeZone: .gmt))

            let sqlCurve = try #require(try await store.equityCurve(backtestID: id))
            StatisticsAgreement.expectSame(sqlCurve, TradeAnalytics.fullEquityCurve(of: trades, startingBalance: capital))
        }
    }

    @Test func realEventsAgreeIncludingEquityDrawdown() async throws {
        try await TestDatabase.withStore { store, _ in
            let data = try Data(contentsOf: AnalyticsTestSupport.realEventsURL)
            let id = try await Self.ingest(store, data, name: "events.json")
            let export = try EventsJSONParser().parseAll(ImportInput(name: "events.json", data: data))
            let samples = export.events.compactMap { event in event.equity.map { EquitySample(time: event.time, equity: $0) } }
            let swift = TradeAnalytics.statistics(of: export.trades, startingBalance: export.header.startingCapital, equity: samples)
            let sql = try #require(try await store.statistics(backtestID: id))
            StatisticsAgreement.expectSame(sql, swift)
            #expect(sql.maxEquityDrawdown != nil)
            let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
            let all = try await store.breakdowns(backtestID: id, by: BreakdownDimension.allCases, timeZone: zone)
            for dimension in BreakdownDimension.allCases {
                #expect(all[dimension] == TradeAnalytics.breakdown(of: export.trades, by: dimension, timeZone: zone), "\(dimension)")
            }
        }
    }

    @Test func storedTradesReadBackInCloseOrder() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 12, trades: 120)
            let id = try await Self.ingest(store, generator.write(.reportJSON), name: "report.json")
            let stored = try await store.trades(backtestID: id)
            let expected = generator.pipsightTrades()
            #expect(stored.map(\.positionId) == expected.map(\.positionId))
            #expect(stored.map(\.netProfit) == expected.map(\.netProfit))
            // report.json's history has no close reason, so every stored one is unknown; directions are there.
            #expect(stored.map(\.direction) == expected.map(\.direction))
            for (lhs, rhs) in zip(stored, expected) {
                #expect(abs(lhs.openTime.timeIntervalSince(rhs.openTime)) < 0.001)
            }
            #expect(stored.map(\.balance) == expected.map(\.balance))
            #expect(stored.map(\.deals.count) == expected.map { $0.deals.count > 1 ? $0.deals.count : 0 })
        }
    }

    @Test func emptyAndMissingBacktests() async throws {
        try await TestDatabase.withStore { store, _ in
            #expect(try await store.statistics(backtestID: UUID()) == nil)
            #expect(try await store.equityCurve(backtestID: UUID()) == nil)
            let id = try await Self.ingest(store, SampleGenerator(seed: 1, trades: 0).write(.reportJSON), name: "empty.json")
            let statistics = try #require(try await store.statistics(backtestID: id))
            StatisticsAgreement.expectSame(statistics, TradeAnalytics.statistics(of: [], startingBalance: 10_000))
            #expect(statistics.all.tradeCount == 0)
            #expect(try await store.breakdown(backtestID: id, by: .weekday, timeZone: .gmt) == [])
            #expect(try await store.equityCurve(backtestID: id)?.points == [])
        }
    }

    @Test func optimisationPassesReadBack() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 13, trades: 50)
            let data = generator.write(.optres)
            let id = try await Self.ingest(store, data, name: "sample.optres")
            let expected = try OptresParser().parseAll(ImportInput(name: "sample.optres", data: data)).passes
            let passes = try await store.optimisationPasses(backtestID: id)
            #expect(passes.count == expected.count)
            #expect(passes.map(\.passId) == expected.map(\.passId))
            #expect(passes.map(\.netProfit) == expected.map(\.netProfit))
            #expect(passes.map(\.maxEquityDrawdownFraction) == expected.map(\.maxEquityDrawdownFraction))
        }
    }
}
