import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import CBotGen

/// The sample generator's known pattern (Fridays and 21–23 h UTC lose), through a real export and parser, found
/// and turned into a cBot that compiles.
@Suite("cBot generation end to end")
struct EndToEndTests {
    static let generator = SampleGenerator(seed: 11, trades: 5_000)

    static func parsedTrades() throws -> [Trade] {
        let data = generator.write(.reportJSON)
        let export = try FormatDetector.parser(for: .reportJSON).parseAll(ImportInput(name: "report.json", data: data))
        return export.trades
    }

    @Test("the generator's losing Friday is found; every proposed filter lost money in the ground truth")
    func findsGroundTruth() throws {
        let trades = try Self.parsedTrades()
        let truth = Self.generator.groundTruth
        #expect(trades.count == truth.tradeCount)
        let generator = try CBotGenerator(logger: TradeFactory.logger)
        let result = try generator.generate(trades: trades, options: CBotOptions(template: .sma, name: "Sample Trend cBot"))
        #expect(result.spec.blockedWeekdays.contains { $0.weekday == .friday })
        #expect((truth.netByWeekday["Friday"] ?? 0) < 0)
        for rule in result.spec.blockedWeekdays {
            #expect((truth.netByWeekday[rule.weekday.name] ?? 0) < 0, "\(rule.weekday.name) did not lose in the ground truth")
            #expect(rule.evidence.netProfit == truth.netByWeekday[rule.weekday.name])
        }
        #expect(!result.spec.blockedHours.isEmpty)
        for rule in result.spec.blockedHours {
            let key = String(format: "%02d", rule.hour)
            #expect((truth.netByOpenHour[key] ?? 0) < 0, "hour \(key) did not lose in the ground truth")
        }
        #expect(result.spec.stopLoss != nil)
        #expect(result.spec.takeProfit != nil)
        // The what-if figures for all trades are the ground truth's.
        #expect(result.report.inSample.all.all.netProfit == truth.netProfit)
        #expect(result.report.inSample.withRules.all.netProfit > truth.netProfit)
        try CSharpCompiler.compile(["Bot.cs": result.source])
    }

    @Test("a split date finds the rules on the first part only and checks them on the rest")
    func splitDate() throws {
        let trades = try Self.parsedTrades()
        let opens = trades.map(\.openTime).sorted()
        let split = opens[opens.count * 2 / 3]
        let generator = try CBotGenerator(logger: TradeFactory.logger)
        let result = try generator.generate(trades: trades, options: CBotOptions(splitDate: split))
        #expect(result.spec.source?.splitDate == split)
        #expect(result.spec.source?.trades == trades.filter { $0.openTime < split }.count)
        let out = try #require(result.report.outOfSample)
        #expect(out.tradeCount == trades.filter { $0.openTime >= split }.count)
        #expect(result.reportMarkdown.contains("out-of-sample"))
    }

    @Test("generating from a saved and edited spec uses the edit, not detection")
    func fromSpec() throws {
        let trades = try Self.parsedTrades()
        let generator = try CBotGenerator(logger: TradeFactory.logger)
        let first = try generator.generate(trades: trades, options: CBotOptions())
        var edited = try StrategySpec.decode(from: first.spec.jsonData())
        edited.blockedWeekdays = []
        edited.blockedHours = [HourRule(hour: 4, evidence: RuleEvidence(summary: "my idea", trades: 0))]
        let second = try generator.generate(trades: trades, options: CBotOptions(template: .rsi, spec: edited))
        #expect(second.spec.blockedHours.map(\.hour) == [4])
        #expect(second.spec.template == .rsi)
        #expect(second.source.contains("BlockHour04 && time.Hour == 4"))
        #expect(!second.source.contains("BlockFriday"))
        try CSharpCompiler.compile(["Bot.cs": second.source])
    }
}
