import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// Every limit of `ImportLimits` stops an import with `limit_exceeded`, the place and the variable to raise;
/// just under the limit the same input is accepted.
@Suite("Import limits")
struct ImportLimitsTests {
    private typealias Support = CTraderJSONTestSupport

    private static let csvHeader = "ID,Opening Direction,Opening Time,Closing Time,Net USD"

    private static func csv(_ rows: [String]) -> String {
        ([csvHeader] + rows).joined(separator: "\n") + "\n"
    }

    private static func row(_ id: Int, net: String = "1.00") -> String {
        "\(id),Buy,02/01/2024 09:00:00,02/01/2024 10:00:00,\(net)"
    }

    private static func event(_ serial: Int, position: Int, name: String) -> String {
        "{\"serial\": \(serial), \"positionId\": \(position), \"event\": \"\(name)\", \"time\": \(1_762_761_600_000 + serial), \"type\": \"Buy\", \"volume\": 1}"
    }

    /// The error of parsing `text` with `limits`, or nil when it parses.
    private static func error(_ parser: some ExportParser, _ text: String, name: String, limits: ImportLimits) -> PipsightError? {
        var input = ImportInput(name: name, data: Data(text.utf8))
        input.limits = limits
        do {
            _ = try parser.parseAll(input)
            return nil
        } catch let error as PipsightError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test("environment variables set limits; K/M/G suffixes; invalid values name the variable")
    func environment() throws {
        let limits = try ImportLimits(environment: [
            "PIPSIGHT_IMPORT_MAX_FILE_BYTES": "2G", "PIPSIGHT_IMPORT_MAX_ROWS": "1_000", "PIPSIGHT_IMPORT_MAX_LINE_BYTES": "64K",
            "PIPSIGHT_IMPORT_MAX_JSON_DEPTH": "16", "PIPSIGHT_IMPORT_MAX_STRING_BYTES": "1M",
            "PIPSIGHT_IMPORT_MAX_COLUMNS": "40", "PIPSIGHT_IMPORT_MAX_EVENTS_PER_POSITION": "7",
        ])
        #expect(limits.maxFileBytes == 2 * 1024 * 1024 * 1024)
        #expect(limits.maxRows == 1000)
        #expect(limits.maxLineBytes == 65_536)
        #expect(limits.maxJSONDepth == 16)
        #expect(limits.maxStringBytes == 1_048_576)
        #expect(limits.maxColumns == 40)
        #expect(limits.maxEventsPerPosition == 7)
        #expect(try ImportLimits(environment: [:]) == ImportLimits.defaults)

        for bad in ["0", "-5", "ten", "", "12X", "99999999999999999999G"] {
            do {
                _ = try ImportLimits(environment: ["PIPSIGHT_IMPORT_MAX_ROWS": bad])
                Issue.record("\(bad) accepted")
            } catch let error as PipsightError {
                #expect(error.code == .configuration)
                #expect(error.message.contains("PIPSIGHT_IMPORT_MAX_ROWS"))
            }
        }
    }

    @Test("a configuration error is reported by the next import")
    func configurationErrorSurfaces() {
        var limits = ImportLimits()
        limits.configurationError = PipsightError(.configuration, "PIPSIGHT_IMPORT_MAX_ROWS must be a positive integer")
        let error = Self.error(HistoryCSVParser(), Self.csv([Self.row(1)]), name: "h.csv", limits: limits)
        #expect(error?.code == .configuration)
    }

    @Test("file size: over the limit is refused before reading, at the limit accepted")
    func fileSize() throws {
        let text = Self.csv([Self.row(1)])
        let size = text.utf8.count
        let refused = try #require(Self.error(HistoryCSVParser(), text, name: "h.csv", limits: ImportLimits(maxFileBytes: size - 1)))
        #expect(refused.code == .limitExceeded)
        #expect(refused.location?.file == "h.csv")
        #expect(refused.message.contains("PIPSIGHT_IMPORT_MAX_FILE_BYTES"))
        #expect(Self.error(HistoryCSVParser(), text, name: "h.csv", limits: ImportLimits(maxFileBytes: size)) == nil)
        let json = "[" + Self.event(0, position: 1, name: "Create Position") + "]"
        let events = Self.error(EventsJSONParser(), json, name: "e.json", limits: ImportLimits(maxFileBytes: 10))
        #expect(events?.code == .limitExceeded)
    }

    @Test("rows: the CSV row past the limit is named by its line")
    func csvRows() throws {
        let text = Self.csv((1...5).map { Self.row($0) })
        let error = try #require(Self.error(HistoryCSVParser(), text, name: "h.csv", limits: ImportLimits(maxRows: 4)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.line == 6)  // header on line 1, fifth row on line 6
        #expect(error.message.contains("PIPSIGHT_IMPORT_MAX_ROWS"))
        #expect(Self.error(HistoryCSVParser(), text, name: "h.csv", limits: ImportLimits(maxRows: 5)) == nil)
    }

    @Test("rows: events past the limit, and any JSON array longer than the limit")
    func jsonRows() throws {
        let events = (0..<4).map { Self.event($0, position: $0 + 1, name: "Create Position") }
        let text = "[\n" + events.joined(separator: ",\n") + "\n]"
        let error = try #require(Self.error(EventsJSONParser(), text, name: "e.json", limits: ImportLimits(maxRows: 3)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.path == "[3]")
        #expect(error.location?.line == 5)
        #expect(Self.error(EventsJSONParser(), text, name: "e.json", limits: ImportLimits(maxRows: 4)) == nil)

        let optres = "{\"backtestingSettings\": {}, \"results\": {\"passes\": [{}, {}, {}]}}"
        let passes = try #require(Self.error(OptresParser(), optres, name: "o.optres", limits: ImportLimits(maxRows: 2)))
        #expect(passes.code == .limitExceeded)
    }

    @Test("columns: a record with more fields than the limit")
    func columns() throws {
        let wide = Self.row(1) + String(repeating: ",x", count: 10)
        let error = try #require(
            Self.error(HistoryCSVParser(), Self.csv([Self.row(2), wide]), name: "h.csv", limits: ImportLimits(maxColumns: 12)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.line == 3)
        #expect(error.message.contains("PIPSIGHT_IMPORT_MAX_COLUMNS"))
        #expect(Self.error(HistoryCSVParser(), Self.csv([wide]), name: "h.csv", limits: ImportLimits(maxColumns: 15)) == nil)
    }

    @Test("line length: a long record, and an unclosed quote, stop at the limit instead of reading on")
    func lineLength() throws {
        let long = "1,Buy,02/01/2024 09:00:00,02/01/2024 10:00:00,1.00,\"" + String(repeating: "a", count: 5000) + "\""
        let error = try #require(
            Self.error(HistoryCSVParser(), Self.csv([long]), name: "h.csv", limits: ImportLimits(maxLineBytes: 4096)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.line == 2)
        let unclosed = Self.csv([Self.row(1), "2,Buy,\"" + String(repeating: "x\n", count: 4000)])
        let runaway = try #require(
            Self.error(HistoryCSVParser(), unclosed, name: "h.csv", limits: ImportLimits(maxLineBytes: 1024)))
        #expect(runaway.code == .limitExceeded)
        #expect(runaway.location?.line == 3)
        #expect(Self.error(HistoryCSVParser(), Self.csv([long]), name: "h.csv", limits: ImportLimits(maxLineBytes: 8192)) == nil)
    }

    @Test("JSON nesting: deeper than the limit is refused with its line")
    func depth() throws {
        let deep = "{\"main\": {}, \"history\": [],\n \"extra\": " + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        let error = try #require(Self.error(ReportJSONParser(), deep, name: "r.json", limits: ImportLimits(maxJSONDepth: 10)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.line == 2)
        #expect(error.message.contains("PIPSIGHT_IMPORT_MAX_JSON_DEPTH"))
        #expect(Self.error(ReportJSONParser(), deep, name: "r.json", limits: ImportLimits(maxJSONDepth: 21)) == nil)
        // The default stops a hostile nesting long before the stack would.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(Support.error(ReportJSONParser(), hostile, name: "r.json")?.code == .limitExceeded)
    }

    @Test("strings and numbers longer than the limit, escaped or not; XML attributes and text too")
    func strings() throws {
        let plain = "{\"main\": {\"symbol\": \"" + String(repeating: "E", count: 300) + "\"}, \"history\": []}"
        let escaped = "{\"main\": {\"symbol\": \"\\n" + String(repeating: "E", count: 300) + "\"}, \"history\": []}"
        let number = "{\"main\": {\"netProfit\": " + String(repeating: "9", count: 300) + "}, \"history\": []}"
        for text in [plain, escaped, number] {
            let error = try #require(Self.error(ReportJSONParser(), text, name: "r.json", limits: ImportLimits(maxStringBytes: 256)))
            #expect(error.code == .limitExceeded)
            #expect(error.message.contains("PIPSIGHT_IMPORT_MAX_STRING_BYTES"))
        }
        #expect(Self.error(ReportJSONParser(), plain, name: "r.json", limits: ImportLimits(maxStringBytes: 300)) == nil)

        let xml = "<cbotset>\n<parameters>\n<parameter name=\"A\" value=\"" + String(repeating: "1", count: 300) + "\"/>\n</parameters></cbotset>"
        let attribute = try #require(Self.error(CBotSetParser(), xml, name: "p.cbotset", limits: ImportLimits(maxStringBytes: 256)))
        #expect(attribute.code == .limitExceeded)
        #expect(attribute.location?.line == 3)
    }

    @Test("events per position: the event past the limit is named")
    func eventsPerPosition() throws {
        var events = [Self.event(0, position: 7, name: "Create Position")]
        events += (1...4).map { Self.event($0, position: 7, name: "Position Modified (S/L)") }
        let text = "[" + events.joined(separator: ",\n") + "]"
        let error = try #require(
            Self.error(EventsJSONParser(), text, name: "e.json", limits: ImportLimits(maxEventsPerPosition: 4)))
        #expect(error.code == .limitExceeded)
        #expect(error.location?.path == "[4]")
        #expect(error.message.contains("position 7"))
        #expect(Self.error(EventsJSONParser(), text, name: "e.json", limits: ImportLimits(maxEventsPerPosition: 5)) == nil)

        let partials = Self.csv([Self.row(9), Self.row(9), Self.row(9)])
        let csv = try #require(
            Self.error(HistoryCSVParser(), partials, name: "h.csv", limits: ImportLimits(maxEventsPerPosition: 2)))
        #expect(csv.code == .limitExceeded)
        #expect(csv.location?.line == 4)
    }

    @Test("compressed files are refused by name, never decompressed")
    func compressed() throws {
        let cases: [([UInt8], String)] = [
            ([0x1F, 0x8B, 0x08, 0x00], "gzip"), ([0x50, 0x4B, 0x03, 0x04, 0x14], "ZIP"),
            ([0x28, 0xB5, 0x2F, 0xFD, 0x00], "zstd"), ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"),
        ]
        for (bytes, name) in cases {
            do {
                _ = try FormatDetector().detect(ImportInput(name: "export.bin", data: Data(bytes + Array(repeating: 0, count: 64))))
                Issue.record("\(name) accepted")
            } catch let error as PipsightError {
                #expect(error.code == .unknownFormat)
                #expect(error.message.contains(name))
                #expect(error.message.contains("does not decompress"))
            }
        }
    }
}
