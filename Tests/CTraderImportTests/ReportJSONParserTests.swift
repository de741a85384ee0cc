import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// Small reports written by hand after docs/ctrader-formats.md §1.
@Suite("ReportJSONParser")
struct ReportJSONParserTests {
    typealias Support = CTraderJSONTestSupport

    /// Position 11 closes in two deals (partial close); 12 in one; an unknown item key and unknown
    /// top-level/main keys are present.
    static let report = """
    {
      "main": {
        "symbol": "EURUSD", "period": "h1", "netProfit": 434.3999999999999, "roi": 4.34,
        "startingCapital": 10000, "endingBalance": 10434.4, "endingEquity": 10434.4,
        "depositAsset": "USD", "accountType": "hedging", "accountLeverage": 500,
        "testingPeriod": {"startDate": 1735689600000, "endDate": 1738368000000, "duration": "31d", "formatted": "Jan"},
        "data": {"type": "m1", "isCustom": false, "customName": null},
        "commissions": {"type": "UsdPerMillionUsdVolume", "value": 30, "applyCommissionAutomatically": true},
        "spread": null, "brokerTitle": "Demo Broker", "cBotName": "Sample Trend"
      },
      "equity": {"maxBalanceDrawdownPercent": 1.5, "maxEquityDrawdownPercent": 2.25,
                 "maxBalanceDrawdownAbsolute": 150, "maxEquityDrawdownAbsolute": 225},
      "tradeStatistics": {"netProfit": {"all": 434.4, "long": 300, "short": 134.4},
                          "profitFactor": {"all": null, "long": null, "short": null}},
      "history": {
        "columns": ["id", "positionId", "label", "symbol", "direction", "entryTime", "closeTime"],
        "items": [
          {"id": 101, "positionId": 11, "label": "t", "symbol": "EURUSD", "direction": "buy",
           "entryTime": 1735700000000, "closeTime": 1735703600000, "entryPrice": 1.03, "closePrice": 1.035,
           "quantity": 0.4, "volume": 40000, "gross": 200.1, "net": 198.9, "commissions": -1.2, "swaps": 0,
           "pips": 50, "balance": 10200.1, "comment": "first part"},
          {"id": 102, "positionId": 12, "direction": "sell", "symbol": "EURUSD",
           "entryTime": 1735710000000, "closeTime": 1735720000000, "entryPrice": 1.04, "closePrice": 1.045,
           "quantity": 0.1, "volume": 10000, "gross": -50, "net": -50.3, "commissions": -0.3, "swaps": 0,
           "pips": -50, "balance": 10149.8},
          {"id": 103, "positionId": 11, "label": "t", "symbol": "EURUSD", "direction": "buy",
           "entryTime": 1735700000000, "closeTime": 1735707200000, "entryPrice": 1.03, "closePrice": 1.04,
           "quantity": 0.6, "volume": 60000, "gross": 0.2, "net": -1.6, "commissions": -1.8, "swaps": -0.0,
           "pips": 100, "balance": 10149.9}
        ]
      },
      "usedSymbols": ["EURUSD"],
      "parameters": {"Period": "14", "UseTrailing": true, "Lots": 0.1}
    }
    """

    @Test("header: main fields, testing period, statistics kept whole, unknown keys in extra")
    func header() throws {
        let export = try Support.parseAll(ReportJSONParser(), Self.report, name: "report.json")
        let header = export.header
        #expect(header.format == .reportJSON)
        #expect(header.symbol == "EURUSD")
        #expect(header.period == "h1")
        #expect(header.netProfit == Support.decimal("434.3999999999999"))  // exact, not via Double
        #expect(header.startingCapital == 10000)
        #expect(header.endingBalance == Support.decimal("10434.4"))
        #expect(header.depositAsset == "USD")
        #expect(header.accountType == "hedging")
        #expect(header.leverage == 500)
        #expect(header.broker == "Demo Broker")
        #expect(header.cBotName == "Sample Trend")
        #expect(header.testingStart == Support.date(1_735_689_600_000))
        #expect(header.testingEnd == Support.date(1_738_368_000_000))
        let statistics = try #require(header.reportedStatistics?.objectValue)
        #expect(statistics["equity"]?.objectValue?["maxEquityDrawdownPercent"] == .number(2.25))
        #expect(statistics["tradeStatistics"]?.objectValue?["profitFactor"]?.objectValue?["all"] == .null)
        #expect(header.extra["usedSymbols"] == .array([.string("EURUSD")]))
        let main = try #require(header.extra["main"]?.objectValue)
        #expect(main["roi"] == .number(4.34))
        #expect(main["testingPeriod"]?.objectValue?["duration"] == .string("31d"))
        #expect(main["symbol"] == nil)  // modelled keys are not repeated in extra
        #expect(header.extra["history"] == nil)
    }

    @Test("a partial close (two items of one position) gives one trade with summed deals")
    func partialClose() throws {
        let export = try Support.parseAll(ReportJSONParser(), Self.report, name: "report.json")
        #expect(export.trades.count == 2)
        #expect(export.trades.map(\.positionId) == ["11", "12"])
        let trade = try #require(export.trades.first)
        #expect(trade.direction == .buy)
        #expect(trade.deals.map(\.dealId) == ["101", "103"])
        #expect(trade.openTime == Support.date(1_735_700_000_000))
        #expect(trade.closeTime == Support.date(1_735_707_200_000))
        #expect(trade.grossProfit == Support.decimal("200.3"))
        #expect(trade.netProfit == Support.decimal("197.3"))
        #expect(trade.commissions == Support.decimal("-3"))
        #expect(trade.pips == 150)
        #expect(trade.volume == 100_000)
        #expect(trade.quantity == 1)
        #expect(trade.balance == Support.decimal("10149.9"))
        #expect(trade.closePrice == Support.decimal("1.038"))  // (1.035×40000 + 1.04×60000) / 100000
        #expect(trade.entryPrice == Support.decimal("1.03"))
        #expect(trade.label == "t")
        #expect(trade.extra["comment"] == .string("first part"))
        #expect(trade.closeReason == .unknown)

        let short = try #require(export.trades.last)
        #expect(short.direction == .sell)
        #expect(short.deals.count == 1)
        #expect(short.netProfit == Support.decimal("-50.3"))
    }

    @Test("top-level parameters as an object or an array become parameter records")
    func parameters() throws {
        let export = try Support.parseAll(ReportJSONParser(), Self.report, name: "report.json")
        #expect(export.parameters.map(\.name) == ["Period", "UseTrailing", "Lots"])
        #expect(export.parameters.map(\.value) == ["14", "true", "0.1"])

        let array = """
        {"main": {"symbol": "X"}, "parameters": [{"name": "Fast", "value": 5}, {"Name": "Slow", "Value": "20", "note": 1}]}
        """
        let second = try Support.parseAll(ReportJSONParser(), array, name: "report.json")
        #expect(second.parameters.map(\.name) == ["Fast", "Slow"])
        #expect(second.parameters.map(\.value) == ["5", "20"])
        #expect(second.parameters.last?.extra["note"] == .number(1))
        #expect(second.trades.isEmpty)
    }

    @Test("history items as arrays aligned with columns; items without positionId group by id")
    func columnsAndArrayItems() throws {
        let text = """
        {
          "main": {"symbol": "US500", "startingCapital": 420},
          "history": {
            "columns": ["id", "direction", "entryTime", "closeTime", "entryPrice", "closePrice", "volume", "gross", "net", "pips", "balance", "extraColumn"],
            "items": [
              [7, "Sell", 1762761600326, 1762765634459, 6781.4, 6771.7, 1, 9.7, 9.5, 97, 429.5, "x"],
              [8, "Buy", 1762776300041, 1762785113566, 6797.6, 6799.2, 2, 3.2, 3.0, 16, 432.5, "y"]
            ]
          }
        }
        """
        let export = try Support.parseAll(ReportJSONParser(), text, name: "report.json")
        #expect(export.trades.count == 2)
        let first = try #require(export.trades.first)
        #expect(first.positionId == "7")
        #expect(first.direction == .sell)
        #expect(first.deals.map(\.dealId) == ["7"])
        #expect(first.openTime == Support.date(1_762_761_600_326))
        #expect(first.grossProfit == Support.decimal("9.7"))
        #expect(first.extra["extraColumn"] == .string("x"))
        #expect(export.trades.last?.balance == Support.decimal("432.5"))

        // Two items with the same id and no positionId: one position closed in two deals.
        let twoDeals = """
        {"history": {"columns": ["id", "direction", "entryTime", "closeTime", "volume", "gross"],
                     "items": [[5, "buy", 1762761600000, 1762761700000, 1, 1.5],
                               [5, "buy", 1762761600000, 1762761800000, 2, 2.5]]}}
        """
        let grouped = try Support.parseAll(ReportJSONParser(), twoDeals, name: "report.json")
        #expect(grouped.trades.count == 1)
        #expect(grouped.trades.first?.deals.map(\.dealId) == ["5-1", "5-2"])
        #expect(grouped.trades.first?.grossProfit == 4)
        #expect(grouped.trades.first?.volume == 3)
    }

    @Test("errors name the item path and field")
    func errors() throws {
        let wrongType = """
        {"history": {"items": [
          {"id": 1, "direction": "buy", "entryTime": 1762761600000, "closeTime": 1762761700000},
          {"id": 2, "direction": "buy", "entryTime": "soon", "closeTime": 1762761700000}
        ]}}
        """
        let error = try #require(Support.error(ReportJSONParser(), wrongType, name: "report.json"))
        #expect(error.code == .wrongType)
        #expect(error.location?.path == "history.items[1].entryTime")
        #expect(error.location?.line == 3)
        #expect(error.message == "expected epoch milliseconds, got \"soon\"")

        let noDirection = """
        {"history": {"items": [{"id": 1, "entryTime": 1762761600000, "closeTime": 1762761700000}]}}
        """
        let missing = try #require(Support.error(ReportJSONParser(), noDirection, name: "report.json"))
        #expect(missing.code == .missingField)
        #expect(missing.location?.path == "history.items[0].direction")

        let mismatch = """
        {"history": {"columns": ["id", "direction"], "items": [[1, "buy", 3]]}}
        """
        let count = try #require(Support.error(ReportJSONParser(), mismatch, name: "report.json"))
        #expect(count.code == .invalidValue)
        #expect(count.location?.path == "history.items[0]")

        let backwards = """
        {"history": {"items": [{"id": 1, "direction": "buy", "entryTime": 1762761700000, "closeTime": 1762761600000}]}}
        """
        #expect(Support.error(ReportJSONParser(), backwards, name: "report.json")?.code == .invalidValue)

        let truncated = "{\n  \"main\": {\"symbol\": \"EURUSD\",\n  \"period\": "
        let malformed = try #require(Support.error(ReportJSONParser(), truncated, name: "report.json"))
        #expect(malformed.code == .malformedJSON)
        #expect(malformed.location?.line == 3)

        #expect(Support.error(ReportJSONParser(), "", name: "report.json")?.code == .emptyInput)
        #expect(Support.error(ReportJSONParser(), "{\"foo\": 1}", name: "report.json")?.code == .unknownFormat)
        #expect(Support.error(ReportJSONParser(), "[1, 2]", name: "report.json")?.code == .wrongType)
    }

    @Test("a BOM and UTF-16 LE are accepted")
    func encodings() throws {
        let bom = try ReportJSONParser().parseAll(
            ImportInput(name: "report.json", data: Data([0xEF, 0xBB, 0xBF]) + Data(Self.report.utf8))
        )
        #expect(bom.trades.count == 2)
        let utf16 = try ReportJSONParser().parseAll(ImportInput(name: "report.json", data: Support.utf16LE(Self.report)))
        #expect(utf16.header.symbol == "EURUSD")
        #expect(utf16.trades.first?.grossProfit == Support.decimal("200.3"))
    }
}
