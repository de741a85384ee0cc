import Foundation
import PipsightCore
import Testing
@testable import CBotGen

@Suite("Pattern detection")
struct PatternDetectorTests {
    let detector = PatternDetector(logger: TradeFactory.logger)
    let base = StrategySpec(name: "Test", label: "Test")

    @Test("pure noise proposes no weekday, hour or direction filter", arguments: Array(UInt64(1)...UInt64(10)))
    func noiseGivesNoFilter(seed: UInt64) {
        let trades = TradeFactory.random(count: 1_500, seed: seed)
        let spec = detector.detect(trades: trades, base: base)
        #expect(spec.blockedWeekdays.isEmpty)
        #expect(spec.blockedHours.isEmpty)
        #expect(spec.direction == nil)
        // 5 weekdays + 24 hours + 2 directions, each with at least 30 trades.
        #expect(spec.method.groupsTested == 31)
    }

    @Test("a planted losing weekday is found, with its evidence", arguments: [UInt64(43), 44, 45])
    func plantedWeekday(seed: UInt64) throws {
        // Wednesday (index 2) wins 20 % of the time, other days 55 %.
        let trades = TradeFactory.random(count: 1_200, seed: seed) { weekday, _, _ in weekday == 2 ? 0.2 : 0.55 }
        let spec = detector.detect(trades: trades, base: base)
        #expect(spec.blockedWeekdays.map(\.weekday) == [.wednesday])
        #expect(spec.blockedHours.isEmpty)
        let rule = try #require(spec.blockedWeekdays.first)
        // Expected figures from the construction: day index modulo 7 is the weekday.
        let wednesdays = trades.filter { Int($0.openTime.timeIntervalSince(TradeFactory.monday)) / 86_400 % 7 == 2 }
        #expect(rule.evidence.trades == wednesdays.count)
        #expect(rule.evidence.netProfit == TradeFactory.sum(wednesdays))
        let winners = wednesdays.filter { ($0.netProfit ?? 0) > 0 }.count
        #expect(rule.evidence.winRate == Double(winners) / Double(wednesdays.count))
        let pValue = try #require(rule.evidence.pValue)
        let threshold = try #require(rule.evidence.threshold)
        #expect(abs(threshold - 0.01 / 31) < 1e-12)
        #expect(pValue < threshold)
        #expect(rule.evidence.summary.contains("Wednesday"))
    }

    @Test("a planted losing hour is found")
    func plantedHour() {
        let trades = TradeFactory.random(count: 2_400, seed: 7) { _, hour, _ in hour == 22 ? 0.1 : 0.55 }
        let spec = detector.detect(trades: trades, base: base)
        #expect(spec.blockedHours.map(\.hour) == [22])
        #expect(spec.blockedWeekdays.isEmpty)
    }

    @Test("a losing direction becomes a direction rule")
    func directionBias() throws {
        let trades = TradeFactory.random(count: 800, seed: 9) { _, _, direction in direction == .sell ? 0.3 : 0.55 }
        let spec = detector.detect(trades: trades, base: base)
        let rule = try #require(spec.direction)
        #expect(rule.allowed == .longOnly)
        let sells = trades.filter { $0.direction == .sell }
        #expect(rule.evidence.trades == sells.count)
        #expect(rule.evidence.netProfit == TradeFactory.sum(sells))
    }

    @Test("a group below the minimum sample is never proposed, however bad")
    func minimumSample() {
        // 600 noise trades on Monday–Friday plus 25 heavy losers on Saturdays.
        var trades = TradeFactory.random(count: 600, seed: 5)
        for index in 0..<25 {
            trades.append(TradeFactory.trade(id: 10_000 + index, day: index * 7 + 5, hour: 10, net: -500))
        }
        let spec = detector.detect(trades: trades, base: base)
        #expect(!spec.blockedWeekdays.contains { $0.weekday == .saturday })
        var strict = detector
        strict.configuration.minimumTrades = 20
        #expect(strict.detect(trades: trades, base: base).blockedWeekdays.map(\.weekday) == [.saturday])
    }

    @Test("stop loss and take profit come from the initial stop and target distances")
    func distancesFromStops() throws {
        // Stop distances 10…30 pips (median 20), targets twice as far (median 40); pip size 0.0001 from pips.
        var trades: [Trade] = []
        for index in 0..<21 {
            let stopPips = Decimal(10 + index)
            var trade = TradeFactory.trade(id: index, day: index, hour: 9, net: index % 2 == 0 ? 10 : -10)
            trade.entryPrice = Decimal(string: "1.10000")
            trade.closePrice = Decimal(string: "1.10200")
            trade.pips = 20
            trade.initialStopLoss = Decimal(string: "1.10000")! - stopPips * Decimal(string: "0.0001")!
            trade.initialTakeProfit = Decimal(string: "1.10000")! + 2 * stopPips * Decimal(string: "0.0001")!
            trade.finalStopLoss = index < 5 ? trade.entryPrice : trade.initialStopLoss
            trades.append(trade)
        }
        #expect(PatternDetector.pipSize(of: trades, symbol: "EURUSD") == 0.0001)
        let spec = detector.detect(trades: trades, base: base)
        let stop = try #require(spec.stopLoss)
        let target = try #require(spec.takeProfit)
        #expect(abs(stop.pips - 20) < 1e-9)
        #expect(abs(target.pips - 40) < 1e-9)
        #expect(stop.evidence.trades == 21)
        #expect(stop.evidence.summary.contains("5 positions moved their stop"))
        #expect(stop.minimum <= stop.pips && stop.pips <= stop.maximum)
    }

    @Test("without stop history the distances come from the pips of losers and winners")
    func distancesFromPips() throws {
        var trades: [Trade] = []
        for index in 0..<30 {
            let wins = index % 3 == 0
            var trade = TradeFactory.trade(id: index, day: index, hour: 9, net: wins ? 50 : -20)
            trade.pips = wins ? Decimal(30 + index) : Decimal(-(12 + index % 5))
            trades.append(trade)
        }
        let spec = detector.detect(trades: trades, base: base)
        // Winners: index 0, 3, …, 27 → pips 30, 33, …, 57: median (42 + 45) / 2 = 43.5, rounded to the step 1 → 44.
        #expect(try #require(spec.takeProfit).pips == 44)
        // Losers: pips 12 + index % 5 over the 20 other indices: 12,13,14,15,16 four times each → median 14.
        #expect(try #require(spec.stopLoss).pips == 14)
    }

    @Test("a holding limit is proposed when trades held longer than 95 % of winners lost money")
    func holdingLimit() throws {
        var trades: [Trade] = []
        for index in 0..<40 { trades.append(TradeFactory.trade(id: index, day: index, hour: 8, net: 30, holdingSeconds: 2 * 3600)) }
        for index in 0..<12 { trades.append(TradeFactory.trade(id: 100 + index, day: index, hour: 8, net: -45, holdingSeconds: 30 * 3600)) }
        let rule = try #require(detector.detect(trades: trades, base: base).maxHolding)
        #expect(rule.hours == 2)
        #expect(rule.evidence.trades == 12)
        #expect(rule.evidence.netProfit == -540)
        // Long holds that made money: no rule.
        let profitable = trades.map { trade -> Trade in
            var copy = trade
            copy.netProfit = 30
            return copy
        }
        #expect(detector.detect(trades: profitable, base: base).maxHolding == nil)
    }

    @Test("the best optimisation passes give the parameters, their kinds and ranges")
    func optimisationPasses() throws {
        let passes = [
            OptimisationPass(passId: 1, netProfit: 100, profitFactor: 1.1, parameters: ["Periods": "10", "Ratio": "1.5", "Fridays": "True", "Type": "Simple"]),
            OptimisationPass(passId: 2, netProfit: 900, profitFactor: 1.9, parameters: ["Periods": "14", "Ratio": "2", "Fridays": "False", "Type": "Exponential"]),
            OptimisationPass(passId: 3, netProfit: 500, profitFactor: 1.5, parameters: ["Periods": "20", "Ratio": "1.25", "Fridays": "True", "Type": "Simple"]),
            OptimisationPass(passId: 4, netProfit: -50, profitFactor: 0.9, parameters: ["Periods": "99", "Ratio": "9", "Fridays": "True", "Type": "Simple"]),
        ]
        let rule = try #require(detector.detect(trades: [], passes: passes, base: base).optimisation)
        #expect(rule.passes.map(\.passId) == [2, 3, 1])
        let byName = Dictionary(uniqueKeysWithValues: rule.parameters.map { ($0.name, $0) })
        #expect(byName["Periods"] == OptimisedParameter(name: "Periods", kind: .int, value: "14", minimum: "10", maximum: "20"))
        #expect(byName["Ratio"]?.kind == .double)
        #expect(byName["Ratio"]?.minimum == "1.25")
        #expect(byName["Ratio"]?.maximum == "2.0")
        #expect(byName["Fridays"] == OptimisedParameter(name: "Fridays", kind: .bool, value: "false"))
        #expect(byName["Type"] == OptimisedParameter(name: "Type", kind: .text, value: "Exponential"))
    }
}
