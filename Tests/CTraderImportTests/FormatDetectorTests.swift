import CTraderImport
import Foundation
import PipsightCore
import PipsightTesting
import Testing

@Suite("FormatDetector")
struct FormatDetectorTests {
    private typealias F = ImportFixtures
    private let detector = FormatDetector()
    private let generator = SampleGenerator(seed: 11, trades: 25)

    @Test("Every generated format is detected by content, whatever the file name", arguments: ExportFormat.allCases)
    func generatedFormats(format: ExportFormat) throws {
        let data = generator.write(format)
        for name in ["export.bin", "report.json", "history.csv", "noextension"] {
            #expect(try detector.detect(ImportInput(name: name, data: data)) == format)
        }
    }

    @Test("History CSV dialects and the JSON cbotset are detected")
    func variants() throws {
        typealias Options = SampleGenerator.HistoryCSVOptions
        let csvVariants: [Options] = [
            .excelUnicode, .european, Options(delimiter: .tab, encoding: .utf16BE),
            Options(delimiter: .semicolon, decimalSeparator: .comma, utcOffsetSeconds: -12_600, currencyStyle: .newer, summaryRow: true),
        ]
        for options in csvVariants {
            let data = generator.write(.historyCSV, options: .init(csv: options))
            #expect(try detector.detect(ImportInput(name: "x.txt", data: data)) == .historyCSV)
        }
        let cbotset = generator.write(.cbotset, options: .init(cbotset: .json))
        #expect(try detector.detect(ImportInput(name: "x.json", data: cbotset)) == .cbotset)
    }

    @Test("Hand-written minimal files")
    func minimal() throws {
        let cases: [(String, ExportFormat)] = [
            ("{\"main\": {\"symbol\": \"EURUSD\"}, \"history\": {\"items\": []}}", .reportJSON),
            ("{\"tradeStatistics\": {}}", .reportJSON),
            ("{\"results\": {\"elapsedTime\": \"1\", \"passes\": []}}", .optres),
            ("{\"parameters\": [{\"Name\": \"SlowPeriods\", \"Optimize\": true}]}", .cbotset),
            ("  \n[{\"serial\": 0, \"event\": \"Create Position\"}]", .eventsJSON),
            ("<cbotset><parameters><parameter name=\"a\" value=\"1\"/></parameters></cbotset>", .cbotset),
            ("<!DOCTYPE html><html><body><script type=\"application/json\" id=\"backtesting-report\">{}</script></body></html>", .reportHTML),
            ("Opening direction;Opening time (UTC+2);Net P/L €\n", .historyCSV),
        ]
        for (text, format) in cases {
            #expect(try detector.detect(ImportInput(name: "f", data: Data(text.utf8))) == format, "\(text)")
        }
    }

    @Test("An HTML page whose report script is beyond the sniffed prefix")
    func lateScript() throws {
        let padding = String(repeating: "<p>filler</p>\n", count: 2000)
        let html = "<!DOCTYPE html><html><body>\(padding)<script type=\"application/json\" id=\"backtesting-report\">{}</script></body></html>"
        #expect(try detector.detect(ImportInput(name: "r", data: Data(html.utf8))) == .reportHTML)
        let plain = "<!DOCTYPE html><html><body>\(padding)</body></html>"
        let error = try #require(throws: PipsightError.self) { try detector.detect(ImportInput(name: "r", data: Data(plain.utf8))) }
        #expect(error.code == .unknownFormat)
    }

    @Test("The real events.json is detected", .enabled(if: ImportFixtures.realEventsJSON != nil))
    func realEvents() throws {
        let url = try #require(F.realEventsJSON)
        let data = try Data(contentsOf: url)
        #expect(try detector.detect(ImportInput(name: "whatever.dat", data: data)) == .eventsJSON)
    }

    @Test("Garbage and unrelated content are unknownFormat", arguments: [UInt64(1), 2, 3, 4, 5])
    func garbage(seed: UInt64) throws {
        let data = F.garbage(count: 64 * 1024, seed: seed)
        let error = try #require(throws: PipsightError.self) { try detector.detect(ImportInput(name: "g.json", data: data)) }
        #expect(error.code == .unknownFormat || error.code == .badEncoding)
    }

    @Test("Unrelated text, JSON and XML are unknownFormat with a reason")
    func unrelated() throws {
        for text in ["hello world\nthis is not an export\n", "{\"name\": \"x\", \"items\": [1, 2]}", "[1, 2, 3]", "[]", "<?xml version=\"1.0\"?><root/>", "a,b,c\n1,2,3\n"] {
            let error = try #require(throws: PipsightError.self) { try detector.detect(ImportInput(name: "u", data: Data(text.utf8))) }
            #expect(error.code == .unknownFormat, "\(text)")
            #expect(error.message.hasPrefix("not a cTrader export I know"))
            #expect(error.location?.file == "u")
        }
        let keys = try #require(throws: PipsightError.self) {
            try detector.detect(ImportInput(name: "u", data: Data("{\"name\": \"x\", \"items\": [1, 2]}".utf8)))
        }
        #expect(keys.message.contains("items, name"))
    }

    @Test("Empty input is emptyInput")
    func empty() throws {
        for data in [Data(), Data("  \n\t ".utf8), Data([0xEF, 0xBB, 0xBF])] {
            let error = try #require(throws: PipsightError.self) { try detector.detect(ImportInput(name: "e", data: data)) }
            #expect(error.code == .emptyInput)
        }
    }

    @Test("parser(for:) returns the parser of that format", arguments: ExportFormat.allCases)
    func parsers(format: ExportFormat) {
        #expect(FormatDetector.parser(for: format).format == format)
    }
}
