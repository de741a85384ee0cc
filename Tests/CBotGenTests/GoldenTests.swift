import Foundation
import Testing
@testable import CBotGen

/// The C# each template renders for `SpecFixtures.complete`, compared with `Tests/Golden/CBotGen/<template>.cs` (outside the test target, so SwiftPM does not take them for resources).
/// Re-record after an intended template change with `PIPSIGHT_RECORD_GOLDEN=1 swift test --filter GoldenTests`
/// and review the diff.
@Suite("Golden C# files")
struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden/CBotGen")
    static var recording: Bool { ProcessInfo.processInfo.environment["PIPSIGHT_RECORD_GOLDEN"] == "1" }

    @Test("each template matches its golden file", arguments: CBotTemplate.allCases)
    func golden(template: CBotTemplate) throws {
        let source = try CBotRenderer().render(SpecFixtures.complete(template: template))
        let file = Self.directory.appendingPathComponent("\(template.rawValue).cs")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try source.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(source == expected, "\(template.rawValue).cs differs from the golden file; re-record with PIPSIGHT_RECORD_GOLDEN=1 if intended")
    }

    @Test("the golden files hold what the rules promise")
    func contents() throws {
        let sma = try String(contentsOf: Self.directory.appendingPathComponent("sma.cs"), encoding: .utf8)
        #expect(sma.contains("[Robot(TimeZone = TimeZones.UTC, AccessRights = AccessRights.None, AddIndicators = true)]"))
        #expect(sma.contains("public class SampleTrendCBot : Robot"))
        #expect(sma.contains("if (BlockFriday && time.DayOfWeek == DayOfWeek.Friday)"))
        #expect(sma.contains("if (BlockHour21 && time.Hour == 21)"))
        #expect(sma.contains("[Parameter(\"Stop loss (pips, 0 = none)\", DefaultValue = 25.0, MinValue = 10.0, MaxValue = 50.0, Step = 1.0, Group = \"Risk\")]"))
        #expect(sma.contains("[Parameter(\"Allow short (sell)\", DefaultValue = false, Group = \"Direction\")]"))
        #expect(sma.contains("ExecuteMarketOrder(tradeType, SymbolName, VolumeInUnits, PositionLabel, stopLoss, takeProfit)"))
        #expect(sma.contains("Positions.FindAll(PositionLabel, SymbolName).Length >= MaxOpenPositions"))
        #expect(sma.contains("// Evidence: Fridays lost."))
        #expect(sma.contains("Indicators.SimpleMovingAverage(Bars.ClosePrices, FastPeriods)"))
        let rsi = try String(contentsOf: Self.directory.appendingPathComponent("rsi.cs"), encoding: .utf8)
        #expect(rsi.contains("Indicators.RelativeStrengthIndex(Bars.ClosePrices, RsiPeriods)"))
        let filter = try String(contentsOf: Self.directory.appendingPathComponent("filter.cs"), encoding: .utf8)
        #expect(filter.contains("private TradeType? EntrySignal()"))
    }
}
