import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

@testable import RAG

/// Facts computed from a stored generated backtest equal the generator's ground truth.
@Suite("FactBuilder: facts from the stored backtest equal the ground truth")
struct FactBuilderTests {
    static let generator = SampleGenerator(seed: 20_251_125, trades: 400)

    static func facts(_ question: String, store: BacktestStore, id: UUID) async throws -> [Fact] {
        let analysis = QuestionAnalyser().analyse(question)
        return try await FactBuilder(source: store, logger: TestDatabase.logger)
            .facts(for: analysis, backtestIDs: [id])
    }

    static func ingest(_ store: BacktestStore, _ format: ExportFormat, name: String) async throws -> UUID {
        try await store.ingest(ImportInput(name: name, data: generator.write(format))).backtestID
    }

    static func utcDate(_ date: Date?) -> String? {
        date.map { FactFormat.time($0) }
    }

    @Test("rankings, extremes, streaks, drawdown and totals")
    func tradeFacts() async throws {
        let truth = Self.generator.groundTruth
        try await TestDatabase.withStore { store, _ in
            let id = try await Self.ingest(store, .reportJSON, name: "report.json")
            func one(_ question: String, _ intent: QuestionIntent) async throws -> Fact {
                let facts = try await Self.facts(question, store: store, id: id)
                return try #require(facts.first { $0.intent == intent }, "no \(intent) fact for “\(question)”")
            }
            let bestDay = try #require(truth.netByWeekday.max { $0.value < $1.value })
            let worstDay = try #require(truth.netByWeekday.min { $0.value < $1.value })
            let best = try await one("Which weekday is the most profitable?", .bestWeekday)
            #expect(best.key == bestDay.key)
            #expect(best.amount == bestDay.value)
            let worst = try await one("Which weekday loses the most?", .worstWeekday)
            #expect(worst.key == worstDay.key)
            #expect(worst.amount == worstDay.value)

            let worstHour = try #require(truth.netByOpenHour.min { $0.value < $1.value })
            let hour = try await one("What is the worst hour?", .worstHour)
            #expect(hour.key == worstHour.key)
            #expect(hour.amount == worstHour.value)

            let worstMonth = try #require(truth.netByMonth.min { $0.value < $1.value })
            let month = try await one("Which month was the worst?", .worstMonth)
            #expect(month.key == worstMonth.key)
            #expect(month.amount == worstMonth.value)

            let loss = try await one("What was the largest loss?", .largestLoss)
            #expect(loss.amount == truth.largestLoss)
            #expect(loss.key == truth.largestLossPositionId)
            #expect(loss.tradeIDs == [truth.largestLossPositionId].compactMap { $0 })
            let win = try await one("What was the biggest winning trade?", .largestWin)
            #expect(win.amount == truth.largestWin)
            #expect(win.key == truth.largestWinPositionId)

            let losing = try await one("What was the longest losing streak?", .longestLosingStreak)
            #expect(losing.amount == Decimal(truth.maxConsecutiveLosses))
            #expect(losing.tradeIDs.count == truth.maxConsecutiveLosses)
            let winning = try await one("What was the longest winning streak?", .longestWinningStreak)
            #expect(winning.amount == Decimal(truth.maxConsecutiveWins))

            let drawdown = try await one("When was the maximum drawdown?", .maxDrawdown)
            #expect(drawdown.amount == truth.maxBalanceDrawdown)
            #expect(Self.utcDate(drawdown.startTime) == Self.utcDate(truth.maxBalanceDrawdownPeakTime))
            #expect(Self.utcDate(drawdown.endTime) == Self.utcDate(truth.maxBalanceDrawdownTroughTime))

            let net = try await one("What was the total net profit?", .netProfit)
            #expect(net.amount == truth.netProfit)
            let count = try await one("How many trades were there?", .tradeCount)
            #expect(count.amount == Decimal(truth.tradeCount))
            let rate = try await one("What is the win rate?", .winRate)
            let expectedRate = Double(truth.winningTrades) / Double(truth.tradeCount) * 100
            #expect(abs(NSDecimalNumber(decimal: rate.amount ?? 0).doubleValue - expectedRate) <= 0.05)
        }
    }

    @Test("a time range restricts the facts to the trades closed inside it")
    func timeRange() async throws {
        let trades = Self.generator.pipsightTrades()
        let cut = trades[trades.count / 2].closeTime
        let expected = trades.filter { $0.closeTime <= cut }.reduce(Decimal(0)) { $0 + ($1.netProfit ?? 0) }
        try await TestDatabase.withStore { store, _ in
            let id = try await Self.ingest(store, .reportJSON, name: "report.json")
            let analysis = QuestionAnalyser().analyse("What was the net profit?")
            let facts = try await FactBuilder(source: store, logger: TestDatabase.logger)
                .facts(for: analysis, backtestIDs: [id], timeRange: Date.distantPast...cut)
            #expect(facts.first?.amount == expected)
        }
    }

    @Test("parameter effects across optimisation passes equal the passes as written")
    func parameterEffect() async throws {
        let data = Self.generator.write(.optres)
        // Independent reading of the written file: mean net profit per StopLossPips value.
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let passes = try #require((root["results"] as? [String: Any])?["passes"] as? [[String: Any]])
        var sums: [String: (Decimal, Int)] = [:]
        for pass in passes {
            let value = try #require((pass["parameters"] as? [String: Any])?["StopLossPips"] as? String)
            var raw = try #require(pass["netProfit"] as? NSNumber).decimalValue
            var net = Decimal()
            NSDecimalRound(&net, &raw, 2, .plain)
            sums[value, default: (0, 0)].0 += net
            sums[value, default: (0, 0)].1 += 1
        }
        let best = try #require(sums.max { $0.value.0 / Decimal($0.value.1) < $1.value.0 / Decimal($1.value.1) })
        try await TestDatabase.withStore { store, _ in
            let id = try await Self.ingest(store, .optres, name: "run.optres")
            let facts = try await Self.facts("Which StopLossPips value works best across the passes?", store: store, id: id)
            let effect = try #require(facts.first { $0.intent == .parameterEffect })
            #expect(effect.label.contains("StopLossPips"))
            #expect(effect.key == best.key)
            #expect(facts.filter { $0.intent == .parameterEffect }.count == 1)
        }
    }
}
