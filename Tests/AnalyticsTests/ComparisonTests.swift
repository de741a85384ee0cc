import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

/// Side-by-side comparison and ranking, cTrader's default fitness included.
@Suite struct ComparisonTests {
    static func entry(_ id: String, fitness: Double?, drawdown: Double? = nil, infinite: Bool = false) -> ComparisonEntry {
        var entry = ComparisonEntry(id: id, backtestID: UUID(), label: id)
        entry.fitness = fitness
        entry.maxDrawdownPercent = drawdown
        entry.profitFactorInfinite = infinite
        entry.profitFactor = infinite ? nil : 1.5
        return entry
    }

    /// 1000 × 60 / (1 + 20 / 100) = 50,000.
    @Test func fitnessIsCTradersDefault() {
        #expect(Comparison.fitness(netProfit: 1000, winningTrades: 60, maxEquityDrawdownPercent: 20) == 50_000)
        #expect(Comparison.fitness(netProfit: -500, winningTrades: 10, maxEquityDrawdownPercent: 0) == -5_000)
    }

    @Test func passEntryReadsTheDrawdownFraction() {
        let pass = OptimisationPass(
            passId: 7, netProfit: 1000, trades: 100, winningTrades: 60, profitFactor: 1.8,
            maxEquityDrawdownAbsolute: 250, maxEquityDrawdownFraction: 0.2)
        let entry = Comparison.entry(pass: pass, backtestID: UUID(), label: "run.optres")
        #expect(entry.maxDrawdownPercent == 20)
        #expect(entry.fitness == 50_000)
        #expect(entry.winRate == 0.6)
        #expect(entry.drawdownSource == .reportedEquity)
        #expect(entry.passId == 7)
    }

    @Test func rankingPutsTheBestFirstAndUnknownLast() {
        let entries = [
            Self.entry("a", fitness: 10, drawdown: 5), Self.entry("b", fitness: nil, drawdown: 1),
            Self.entry("c", fitness: 30, drawdown: 9), Self.entry("d", fitness: 20, drawdown: nil, infinite: true),
        ]
        let byFitness = Comparison.rank(entries, by: .fitness)
        #expect(byFitness.map(\.id) == ["c", "d", "a", "b"])
        #expect(byFitness.map(\.rank) == [1, 2, 3, nil])
        let byDrawdown = Comparison.rank(entries, by: .maxDrawdownPercent)
        #expect(byDrawdown.map(\.id) == ["b", "a", "c", "d"])
        let byProfitFactor = Comparison.rank(entries, by: .profitFactor)
        #expect(byProfitFactor.first?.id == "d")
    }

    /// An optimisation (one row per pass, fitness from the pass's own figures), a report.json (cTrader's
    /// reported equity drawdown) and an events.json (equity computed from events) compared together.
    @Test func storedBacktestsAndPassesSideBySide() async throws {
        try await TestDatabase.withStore { store, _ in
            let generator = SampleGenerator(seed: 21, trades: 200)
            let optres = generator.write(.optres)
            let report = generator.write(.reportJSON)
            var ids: [UUID] = []
            for (name, data) in [("run.optres", optres), ("report.json", report), ("events.json", generator.write(.eventsJSON))] {
                guard case .ingested(let backtest) = try await store.ingest(ImportInput(name: name, data: data)) else {
                    Issue.record("not ingested: \(name)")
                    return
                }
                ids.append(backtest.id)
            }
            let entries = try await store.comparisonEntries(backtestIDs: ids)
            // Expected pass fitness straight from the file's JSON, not through Pipsight's parser.
            let root = try #require(try JSONSerialization.jsonObject(with: optres) as? [String: Any])
            let passes = try #require((root["results"] as? [String: Any])?["passes"] as? [[String: Any]])
            #expect(entries.count == passes.count + 2)
            for pass in passes {
                let passId = try #require(pass["passId"] as? Int)
                let net = try #require(pass["netProfit"] as? Double)
                let winners = try #require(pass["winningTrades"] as? Int)
                let fraction = try #require(pass["maxEquityDrawdownPercent"] as? Double)
                let entry = try #require(entries.first { $0.passId == Int64(passId) })
                #expect(abs((entry.fitness ?? 0) - net * Double(winners) / (1 + fraction)) < 1e-6 * max(1, abs(net * Double(winners))))
            }
            let truth = generator.groundTruth
            let reportRoot = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
            let reportedPercent = try #require((reportRoot["equity"] as? [String: Any])?["maxEquityDrawdownPercent"] as? Double)
            let reportEntry = try #require(entries.first { $0.backtestID == ids[1] })
            #expect(reportEntry.drawdownSource == .reportedEquity)
            #expect(reportEntry.netProfit == truth.netProfit)
            let expected = NSDecimalNumber(decimal: truth.netProfit).doubleValue * Double(truth.winningTrades) / (1 + reportedPercent / 100)
            #expect(abs((reportEntry.fitness ?? 0) - expected) < 1e-6 * max(1, abs(expected)))
            let eventsEntry = try #require(entries.first { $0.backtestID == ids[2] })
            #expect(eventsEntry.drawdownSource == .equity)
            #expect(eventsEntry.tradeCount == truth.tradeCount)

            let ranked = ComparisonReport(rankBy: .netProfit, entries: entries).entries
            let nets = ranked.compactMap(\.netProfit)
            #expect(nets == nets.sorted(by: >))
            #expect(ranked.first?.rank == 1)
        }
    }
}
