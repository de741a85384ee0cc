import CTraderImport
import Foundation
import PipsightCore
import Testing

@Suite("HistoryCSVParser")
struct HistoryCSVParserTests {
    private typealias F = ImportFixtures

    private static let header =
        "ID,Order ID,Symbol,Opening Direction,Closing Direction,Opening Time,Closing Time,Entry Price,Closing Price,Closing Quantity,Closing Volume,Closing USD Volume,Swap,Commission,Gross USD,Net USD,Balance USD,Pips,Label,Comment"

    /// Two trades; every expected value below is read off these lines by hand.
    private static let basic = [
        header,
        "101,5001,EURUSD,Buy,Sell,02/01/2024 09:30:00.250,02/01/2024 11:45:10.000,1.09500,1.09620,0.10,10000,10962.00,0.00,-0.60,12.00,11.40,10011.40,12.0,bot,",
        "102,5002,EURUSD,Sell,Buy,03/01/2024 14:00:00.000,03/01/2024 15:00:00.000,1.09400,1.09450,0.20,20000,21890.00,-0.14,-1.20,-10.00,-11.34,10000.06,-5.0,bot,",
    ].joined(separator: "\r\n") + "\r\n"

    private func parse(_ text: String, name: String = "history.csv", parser: HistoryCSVParser = HistoryCSVParser()) throws -> ParsedExport {
        try parser.parseAll(ImportInput(name: name, data: Data(text.utf8)))
    }

    private func parse(data: Data, parser: HistoryCSVParser = HistoryCSVParser()) throws -> ParsedExport {
        try parser.parseAll(ImportInput(name: "history.csv", data: data))
    }

    private func checkBasic(_ export: ParsedExport) throws {
        #expect(export.trades.count == 2)
        let first = try #require(export.trades.first)
        #expect(first.positionId == "101")
        #expect(first.direction == .buy)
        #expect(first.symbol == "EURUSD")
        #expect(first.label == "bot")
        #expect(first.openTime == F.utc(2024, 1, 2, 9, 30, 0, ms: 250))
        #expect(first.closeTime == F.utc(2024, 1, 2, 11, 45, 10))
        #expect(first.entryPrice == F.dec("1.095"))
        #expect(first.closePrice == F.dec("1.0962"))
        #expect(first.quantity == F.dec("0.1"))
        #expect(first.volume == 10_000)
        #expect(first.grossProfit == 12)
        #expect(first.commissions == F.dec("-0.6"))
        #expect(first.netProfit == F.dec("11.4"))
        #expect(first.balance == F.dec("10011.4"))
        #expect(first.pips == 12)
        #expect(first.deals.count == 1)
        #expect(first.deals.first?.dealId == "5001")
        let second = try #require(export.trades.last)
        #expect(second.direction == .sell)
        #expect(second.swaps == F.dec("-0.14"))
        #expect(second.netProfit == F.dec("-11.34"))
        #expect(export.header.format == .historyCSV)
        #expect(export.header.depositAsset == "USD")
        #expect(export.header.netProfit == F.dec("0.06"))
        #expect(export.header.startingCapital == 10_000)
        #expect(export.header.endingBalance == F.dec("10000.06"))
        #expect(export.header.symbol == "EURUSD")
    }

    @Test("UTF-8 without BOM, comma, CRLF")
    func utf8() throws {
        try checkBasic(parse(Self.basic))
    }

    @Test("UTF-8 with BOM")
    func utf8BOM() throws {
        let export = try parse(data: Data([0xEF, 0xBB, 0xBF]) + Data(Self.basic.utf8))
        try checkBasic(export)
        #expect(export.header.extra["encoding"] == .string("utf-8-bom"))
    }

    @Test("UTF-16 LE with BOM and tabs, as Excel saves it")
    func utf16LETab() throws {
        let tabbed = Self.basic.replacingOccurrences(of: ",", with: "\t")
        let export = try parse(data: F.utf16LE(tabbed))
        try checkBasic(export)
        #expect(export.header.extra["delimiter"] == .string("\t"))
        #expect(export.header.extra["encoding"] == .string("utf-16le-bom"))
    }

    @Test("UTF-16 without BOM, both byte orders")
    func utf16NoBOM() throws {
        try checkBasic(parse(data: F.utf16LE(Self.basic, bom: false)))
        try checkBasic(parse(data: F.utf16BE(Self.basic, bom: false)))
        try checkBasic(parse(data: F.utf16BE(Self.basic, bom: true)))
    }

    @Test("Semicolons, decimal comma, dotted dates, euro headers")
    func semicolonDecimalComma() throws {
        let text = """
            ID;Symbol;Opening direction;Opening Time (UTC+1);Closing Time (UTC+1);Entry Price;Closing Price;Gross P/L (EUR);Net P/L €;Balance (EUR)
            7;EURUSD;Sell;15.03.2024 10:00:00;15.03.2024 12:30:00;1,08750;1,08600;15,00;14,25;1.014,25

            """
        let export = try parse(text)
        let trade = try #require(export.trades.first)
        #expect(export.trades.count == 1)
        #expect(trade.direction == .sell)
        #expect(trade.entryPrice == F.dec("1.0875"))
        #expect(trade.grossProfit == 15)
        #expect(trade.netProfit == F.dec("14.25"))
        #expect(trade.balance == F.dec("1014.25"))
        #expect(trade.openTime == F.utc(2024, 3, 15, 9, 0, 0))
        #expect(export.header.depositAsset == "EUR")
        #expect(export.header.utcOffsetSeconds == 3600)
        #expect(export.header.extra["decimalSeparator"] == .string(","))
    }

    @Test(
        "Thousands separators are read exactly",
        arguments: [
            (",", "\"1,234.56\""), (";", "1.234,56"), (";", "1 234,56"), (",", "1'234.56"), (";", "1\u{00A0}234,56"),
            (";", "1\u{202F}234,56"), (",", "\"1,234,567.89\""), ("\t", "-1,234.56"), (";", "1234,56"), (",", "1234.56"),
        ])
    func thousands(delimiter: String, balance: String) throws {
        let columns = ["ID", "Opening Direction", "Opening Time", "Closing Time", "Balance USD", "Net USD"]
        let net = delimiter == ";" ? "0,50" : "0.50"
        let text = columns.joined(separator: delimiter) + "\n"
            + ["1", "Buy", "2024-01-02 10:00:00", "2024-01-02 11:00:00", balance, net].joined(separator: delimiter) + "\n"
        let trade = try #require(try parse(text).trades.first)
        let expected: Decimal
        switch balance {
        case "\"1,234,567.89\"": expected = F.dec("1234567.89")
        case "-1,234.56": expected = F.dec("-1234.56")
        default: expected = F.dec("1234.56")
        }
        #expect(trade.balance == expected)
        #expect(trade.netProfit == F.dec("0.5"))
    }

    @Test("Exact decimals beyond Double precision")
    func exactDecimals() throws {
        let text = "ID,Opening Direction,Opening Time,Closing Time,Net USD\n1,Buy,2024-01-02 10:00:00,2024-01-02 11:00:00,12345678901234.123456789\n"
        let trade = try #require(try parse(text).trades.first)
        #expect(trade.netProfit == F.dec("12345678901234.123456789"))
    }

    @Test("Quoted fields with delimiters, doubled quotes and line breaks")
    func quotedFields() throws {
        let text = """
            ID,Opening Direction,Opening Time,Closing Time,Net USD,Comment,Label
            1,Buy,02/01/2024 10:00:00,02/01/2024 11:00:00,"1,250.50","closed, by ""hand""
            second line",a
            2,Sell,02/01/2024 12:00:00,02/01/2024 13:00:00,-3.5,plain,b
            3,Buy,02/01/2024 14:00:00,02/01/2024 15:00:00,x,plain,c
            """
        do {
            _ = try parse(text)
            Issue.record("expected an error for the net value x")
        } catch let error as PipsightError {
            // The quoted line break makes row 3 sit on physical line 5.
            #expect(error.location?.line == 5)
        }
        let valid = try parse(text.components(separatedBy: "\n").dropLast().joined(separator: "\n"))
        #expect(valid.trades.count == 2)
        #expect(valid.trades[0].netProfit == F.dec("1250.5"))
        #expect(valid.trades[0].extra["comment"] == .string("closed, by \"hand\"\nsecond line"))
        #expect(valid.trades[0].label == "a")
        #expect(valid.trades[1].netProfit == F.dec("-3.5"))
    }

    @Test("Time-zone header shifts local times to UTC", arguments: [
        ("(UTC+4)", 4 * 3600), ("(UTC-03:30)", -(3 * 3600 + 1800)), ("(UTC)", 0), ("(UTC+05:45)", 5 * 3600 + 2700),
    ])
    func timeZoneHeader(suffix: String, offset: Int) throws {
        let text = "ID,Opening Direction,Opening Time \(suffix),Closing Time \(suffix),Net USD\n"
            + "1,Buy,02/01/2024 13:30:00,02/01/2024 14:00:00,1\n"
        let export = try parse(text)
        let trade = try #require(export.trades.first)
        let local = F.utc(2024, 1, 2, 13, 30, 0)
        #expect(trade.openTime == local.addingTimeInterval(TimeInterval(-offset)))
        #expect(export.header.utcOffsetSeconds == offset)
    }

    @Test("Offset override wins over the header")
    func offsetOverride() throws {
        let text = "ID,Opening Direction,Opening Time (UTC+4),Closing Time (UTC+4),Net USD\n1,Buy,02/01/2024 13:30:00,02/01/2024 14:00:00,1\n"
        let export = try parse(text, parser: HistoryCSVParser(utcOffsetSeconds: 7200))
        #expect(export.trades.first?.openTime == F.utc(2024, 1, 2, 11, 30, 0))
        #expect(export.header.utcOffsetSeconds == 7200)
    }

    @Test("Date forms: ISO 8601 with offset, yyyy-MM-dd, MM/dd/yyyy when a day exceeds 12")
    func dateForms() throws {
        let iso = "ID,Opening Direction,Opening Time,Closing Time,Net USD\n1,Buy,2024-01-02T13:30:00.5+02:00,2024-01-02T14:00:00Z,1\n"
        let isoTrade = try #require(try parse(iso).trades.first)
        #expect(isoTrade.openTime == F.utc(2024, 1, 2, 11, 30, 0, ms: 500))
        #expect(isoTrade.closeTime == F.utc(2024, 1, 2, 14, 0, 0))

        let us = "ID,Opening Direction,Opening Time,Closing Time,Net USD\n1,Buy,01/02/2024 10:00:00,01/02/2024 11:00:00,1\n2,Buy,01/25/2024 10:00:00,01/25/2024 11:00:00,1\n"
        let usTrades = try parse(us).trades
        #expect(usTrades.first?.openTime == F.utc(2024, 1, 2, 10, 0, 0))
        #expect(usTrades.last?.openTime == F.utc(2024, 1, 25, 10, 0, 0))

        let bad = "ID,Opening Direction,Opening Time,Closing Time,Net USD\n1,Buy,31/02/2024 10:00:00,01/03/2024 11:00:00,1\n"
        #expect(throws: PipsightError.self) { try parse(bad) }
    }

    @Test("Summary rows and blank lines are skipped")
    func summaryRows() throws {
        let lines = Self.basic.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let text = ([lines[0], "", lines[1], ";;;", lines[2], "", "Total,,,,,,,,,,,,-0.14,-1.80,2.00,0.06,,,,", ",,,,,,,,,,,,,,,,10000.06,,,"]
            .joined(separator: "\n"))
        try checkBasic(parse(text))
    }

    @Test("Unknown columns are kept in extra, by header text")
    func unknownColumns() throws {
        let text = "ID,Magic Number,Opening Direction,Opening Time,Closing Time,Net USD,Closing USD Volume\n1,42,Buy,2024-01-02 10:00:00,2024-01-02 11:00:00,1,1000.00\n"
        let trade = try #require(try parse(text).trades.first)
        #expect(trade.extra["Magic Number"] == .string("42"))
        #expect(trade.extra["Closing USD Volume"] == .string("1000.00"))
    }

    @Test("Headers match by name, in any order and case")
    func headerOrder() throws {
        let text = "net usd,CLOSING TIME,opening direction,id,Opening  Time\n-2.5,2024-01-02 11:00:00,sell,9,2024-01-02 10:00:00\n"
        let trade = try #require(try parse(text).trades.first)
        #expect(trade.positionId == "9")
        #expect(trade.direction == .sell)
        #expect(trade.netProfit == F.dec("-2.5"))
        #expect(trade.openTime == F.utc(2024, 1, 2, 10, 0, 0))
    }

    @Test("Partial closes: rows with one ID become one trade with two deals")
    func partialClose() throws {
        let text = """
            ID,Order ID,Opening Direction,Opening Time,Closing Time,Closing Price,Closing Volume,Gross USD,Net USD,Commission,Balance USD,Pips
            7,71,Buy,2024-01-02 10:00:00,2024-01-02 11:00:00,1.1010,5000,5.00,4.70,-0.30,1004.70,10
            7,72,Buy,2024-01-02 10:00:00,2024-01-02 12:00:00,1.1030,5000,15.00,14.70,-0.30,1019.40,30
            8,81,Sell,2024-01-02 13:00:00,2024-01-02 14:00:00,1.1000,1000,-1.00,-1.06,-0.06,1018.34,-10
            """
        let export = try parse(text)
        #expect(export.trades.count == 2)
        let trade = try #require(export.trades.first)
        #expect(trade.positionId == "7")
        #expect(trade.deals.map(\.dealId) == ["71", "72"])
        #expect(trade.netProfit == F.dec("19.4"))
        #expect(trade.grossProfit == 20)
        #expect(trade.commissions == F.dec("-0.6"))
        #expect(trade.volume == 10_000)
        #expect(trade.closeTime == F.utc(2024, 1, 2, 12, 0, 0))
        #expect(trade.balance == F.dec("1019.4"))
        #expect(trade.closePrice == F.dec("1.102"))
    }

    @Test("Rows of one position that are not adjacent still make one trade")
    func nonAdjacentPartialClose() throws {
        let text = """
            ID,Opening Direction,Opening Time,Closing Time,Net USD
            7,Buy,2024-01-02 10:00:00,2024-01-02 11:00:00,4.70
            8,Sell,2024-01-02 10:30:00,2024-01-02 11:30:00,-1.06
            7,Buy,2024-01-02 10:00:00,2024-01-02 12:00:00,14.70
            """
        let trades = try parse(text).trades
        #expect(trades.count == 2)
        let seven = try #require(trades.first { $0.positionId == "7" })
        #expect(seven.deals.count == 2)
        #expect(seven.netProfit == F.dec("19.4"))
        #expect(trades.first { $0.positionId == "8" }?.netProfit == F.dec("-1.06"))
    }

    @Test("A bad number names file, physical line and column header")
    func badNumber() throws {
        let text = Self.basic + "103,5003,EURUSD,Buy,Sell,04/01/2024 09:00:00,04/01/2024 10:00:00,1.1,1.2,0.1,10000,1.00,0,0,1,\"12,3,4\",1,1,bot,\n"
        let error = try #require(throws: PipsightError.self) { try parse(text) }
        #expect(error.code == .wrongType)
        #expect(error.location?.line == 4)
        #expect(error.location?.field == "Net USD")
        #expect(error.description == "history.csv: line 4: Net USD: expected a number, got \"12,3,4\"")
    }

    @Test("A bad direction and a missing time are reported with line and field")
    func badDirectionAndTime() throws {
        let direction = Self.header + "\n\n1,1,EURUSD,Up,Sell,02/01/2024 09:30:00,02/01/2024 10:00:00,1,1,1,1,1,0,0,0,0,0,0,,\n"
        let error = try #require(throws: PipsightError.self) { try parse(direction) }
        #expect(error.location?.line == 3)
        #expect(error.location?.field == "Opening Direction")

        let time = Self.header + "\n1,1,EURUSD,Buy,Sell,02/01/2024 09:30:00,,1,1,1,1,1,0,0,0,0,0,0,,\n"
        let timeError = try #require(throws: PipsightError.self) { try parse(time) }
        #expect(timeError.location?.field == "Closing Time")
        #expect(timeError.code == .missingField)
    }

    @Test("Empty and whitespace-only files are emptyInput")
    func emptyFile() throws {
        let empty = try #require(throws: PipsightError.self) { try parse("") }
        #expect(empty.code == .emptyInput)
        let blank = try #require(throws: PipsightError.self) { try parse(" \r\n\n ") }
        #expect(blank.code == .emptyInput)
        #expect(blank.location?.file == "history.csv")
    }

    @Test("A header with no known columns is malformedCSV")
    func noHeader() throws {
        let error = try #require(throws: PipsightError.self) { try parse("a,b,c\n1,2,3\n") }
        #expect(error.code == .malformedCSV)
    }

    @Test("Header only: no trades, no error")
    func headerOnly() throws {
        let export = try parse(Self.header + "\r\n")
        #expect(export.trades.isEmpty)
        #expect(export.header.depositAsset == "USD")
    }

    @Test("2 MB of random bytes give a PipsightError, not a crash", arguments: [UInt64(1), 2, 3])
    func garbage(seed: UInt64) throws {
        let data = F.garbage(count: 2 * 1024 * 1024, seed: seed)
        #expect(throws: PipsightError.self) { try parse(data: data) }
        // A valid header followed by garbage rows.
        let withHeader = Data((Self.header + "\n").utf8) + data
        #expect(throws: PipsightError.self) { try parse(data: withHeader) }
    }

    @Test("An unterminated quote is malformedCSV on its line")
    func unterminatedQuote() throws {
        let text = Self.basic + "103,\"open quote,EURUSD\n"
        let error = try #require(throws: PipsightError.self) { try parse(text) }
        #expect(error.code == .malformedCSV)
        #expect(error.location?.line == 4)
    }

    @Test("Delimiter and decimal overrides")
    func overrides() throws {
        // Without evidence, `1,500` in a `;` file would be read with a decimal comma; the override says point.
        let text = "ID;Opening Direction;Opening Time;Closing Time;Net USD\n1;Buy;2024-01-02 10:00:00;2024-01-02 11:00:00;1,500\n"
        #expect(try parse(text).trades.first?.netProfit == F.dec("1.5"))
        let overridden = try parse(text, parser: HistoryCSVParser(delimiter: .semicolon, decimalSeparator: .point))
        #expect(overridden.trades.first?.netProfit == 1500)
    }

    @Test("Dialect detection reports what it found")
    func dialect() throws {
        let text = "sep=;\nID;Opening Direction;Opening Time;Closing Time;Net USD\n1;Buy;2024-01-02 10:00:00;2024-01-02 11:00:00;2,5\n"
        let dialect = try HistoryCSVParser().detectDialect(ImportInput(name: "h.csv", data: Data(text.utf8)))
        #expect(dialect.delimiter == .semicolon)
        #expect(dialect.decimalSeparator == .comma)
        #expect(dialect.encoding == .utf8)
    }
}
