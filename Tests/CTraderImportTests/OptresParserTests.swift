import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// A small `.optres` written by hand after docs/ctrader-formats.md §3.
@Suite("OptresParser")
struct OptresParserTests {
    typealias Support = CTraderJSONTestSupport

    static let optres = """
    {
      "backtestingSettings": {
        "startingCapital": 10000,
        "commissions": {"type": "UsdPerMillionUsdVolume", "value": 30},
        "spread": {"type": "Fixed", "value": 1},
        "data": {"type": "M1BarsFromServer"}
      },
      "testingPeriod": {"startDate": 1735689600000, "endDate": 1738368000000},
      "criteria": {"standard": [{"criterion": "NetProfit", "extremum": "Max"}]},
      "optimizationMethod": "Genetic",
      "cpuCores": 8,
      "parameters": [
        {"name": "SlowPeriods", "optimize": true, "min": 5, "max": 50, "step": 5, "values": null,
         "metadata": {"friendlyName": "Slow periods", "groupName": "Moving averages"}},
        {"name": "MAType", "optimize": true, "min": null, "max": null, "step": null, "values": ["0", "1"],
         "metadata": {"friendlyName": "MA type", "groupName": "Moving averages"}}
      ],
      "results": {
        "elapsedTime": "00:01:02",
        "passes": [
          {"passId": 1, "status": "Completed", "equity": 10434.4, "netProfit": 434.4, "trades": 25,
           "winningTrades": 15, "profitFactor": 1.8, "averageTrade": 17.376, "maxEquityDrawdownAbsolute": 225.5,
           "maxEquityDrawdownPercent": 0.0225, "parameters": {"SlowPeriods": 20, "MAType": "1"}},
          {"passId": 2, "status": "StoppedWithStopOut", "equity": 0.5, "netProfit": -9999.5, "trades": 3,
           "winningTrades": 0, "profitFactor": "NaN", "averageTrade": -3333.1666, "maxEquityDrawdownAbsolute": 9999.5,
           "maxEquityDrawdownPercent": 0.99995, "parameters": [{"name": "SlowPeriods", "value": "5"}]},
          {"passId": 3, "status": "Completed", "netProfit": 10, "profitFactor": null}
        ]
      }
    }
    """

    @Test("header: starting capital, testing period, settings kept whole, unknown keys in extra")
    func header() throws {
        let export = try Support.parseAll(OptresParser(), Self.optres, name: "run.optres")
        let header = export.header
        #expect(header.format == .optres)
        #expect(header.startingCapital == 10000)
        #expect(header.testingStart == Support.date(1_735_689_600_000))
        #expect(header.testingEnd == Support.date(1_738_368_000_000))
        let statistics = try #require(header.reportedStatistics?.objectValue)
        #expect(Set(statistics.keys) == ["backtestingSettings", "criteria", "optimizationMethod"])
        #expect(statistics["optimizationMethod"] == .string("Genetic"))
        let settings = try #require(statistics["backtestingSettings"]?.objectValue)
        #expect(settings["data"]?.objectValue?["type"] == .string("M1BarsFromServer"))
        #expect(header.extra["cpuCores"] == .number(8))
        #expect(header.extra["results"]?.objectValue?["elapsedTime"] == .string("00:01:02"))
        #expect(header.extra["parameters"] == nil)
    }

    @Test("parameters keep ranges as text and metadata names")
    func parameters() throws {
        let export = try Support.parseAll(OptresParser(), Self.optres, name: "run.optres")
        #expect(export.parameters.count == 2)
        let slow = try #require(export.parameters.first)
        #expect(slow.name == "SlowPeriods")
        #expect(slow.optimize == true)
        #expect(slow.min == "5")
        #expect(slow.max == "50")
        #expect(slow.step == "5")
        #expect(slow.values == nil)
        #expect(slow.friendlyName == "Slow periods")
        #expect(slow.groupName == "Moving averages")
        let type = try #require(export.parameters.last)
        #expect(type.values == ["0", "1"])
        #expect(type.min == nil)
    }

    @Test("passes: money exact, drawdown kept as a fraction, parameters filled, raw kept")
    func passes() throws {
        let export = try Support.parseAll(OptresParser(), Self.optres, name: "run.optres")
        #expect(export.passes.map(\.passId) == [1, 2, 3])
        let first = try #require(export.passes.first)
        #expect(first.status == "Completed")
        #expect(first.equity == Support.decimal("10434.4"))
        #expect(first.netProfit == Support.decimal("434.4"))
        #expect(first.trades == 25)
        #expect(first.winningTrades == 15)
        #expect(first.profitFactor == 1.8)
        #expect(first.averageTrade == Support.decimal("17.376"))
        #expect(first.maxEquityDrawdownAbsolute == Support.decimal("225.5"))
        #expect(first.maxEquityDrawdownFraction == 0.0225)
        #expect(first.parameters == ["SlowPeriods": "20", "MAType": "1"])
        #expect(first.raw.objectValue?["maxEquityDrawdownPercent"] == .number(0.0225))
        #expect(first.raw.objectValue?["status"] == .string("Completed"))

        let stoppedOut = export.passes[1]
        #expect(stoppedOut.status == "StoppedWithStopOut")
        #expect(stoppedOut.profitFactor?.isNaN == true)
        #expect(stoppedOut.parameters == ["SlowPeriods": "5"])
        #expect(stoppedOut.netProfit == Support.decimal("-9999.5"))

        let sparse = export.passes[2]
        #expect(sparse.profitFactor == nil)
        #expect(sparse.equity == nil)
        #expect(sparse.parameters.isEmpty)
    }

    @Test("errors: wrong types name the pass path; malformed and empty input")
    func errors() throws {
        let wrong = """
        {"results": {"passes": [
          {"passId": 1, "trades": 3},
          {"passId": 2, "trades": "many"}
        ]}}
        """
        let error = try #require(Support.error(OptresParser(), wrong, name: "run.optres"))
        #expect(error.code == .wrongType)
        #expect(error.location?.path == "results.passes[1].trades")
        #expect(error.location?.line == 3)
        #expect(error.message == "expected an integer, got \"many\"")

        let fraction = #"{"results": {"passes": [{"passId": 1.5}]}}"#
        #expect(Support.error(OptresParser(), fraction, name: "run.optres")?.code == .wrongType)

        let truncated = "{\"results\": {\"passes\": [\n{\"passId\": 1"
        let malformed = try #require(Support.error(OptresParser(), truncated, name: "run.optres"))
        #expect(malformed.code == .malformedJSON)
        #expect(malformed.location?.line == 2)

        #expect(Support.error(OptresParser(), "\n\n", name: "run.optres")?.code == .emptyInput)
        #expect(Support.error(OptresParser(), "[]", name: "run.optres")?.code == .wrongType)
    }
}
