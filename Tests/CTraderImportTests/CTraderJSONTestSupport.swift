import Foundation
import Logging
import PipsightCore
import Testing

@testable import CTraderImport

/// Helpers shared by the JSON/HTML/XML parser tests.
enum CTraderJSONTestSupport {
    /// The real events.json kept beside the project (`../shared/samples/ctrader/events.json` from the
    /// package root). Symlinks are resolved so a scratch package that links these tests finds it too.
    static var realEventsURL: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // …/Tests/CTraderImportTests
            .deletingLastPathComponent()  // …/Tests
            .deletingLastPathComponent()  // the package root
            .deletingLastPathComponent()  // the folder holding the package and shared/
            .appendingPathComponent("shared/samples/ctrader/events.json")
    }

    static func input(_ text: String, name: String) -> ImportInput {
        ImportInput(name: name, data: Data(text.utf8))
    }

    /// Parses and returns every record; fails the test with the error's text on failure.
    static func parseAll(_ parser: some ExportParser, _ text: String, name: String) throws -> ParsedExport {
        try parser.parseAll(input(text, name: name))
    }

    /// The `PipsightError` thrown by parsing `data`, or nil when parsing succeeds.
    static func error(_ parser: some ExportParser, _ data: Data, name: String) -> PipsightError? {
        do {
            _ = try parser.parseAll(ImportInput(name: name, data: data))
            return nil
        } catch let error as PipsightError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    static func error(_ parser: some ExportParser, _ text: String, name: String) -> PipsightError? {
        error(parser, Data(text.utf8), name: name)
    }

    /// Epoch milliseconds → Date, as cTrader writes times.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    /// Exact decimal from a literal (test expectations are written as text to avoid Double).
    static func decimal(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    /// UTF-16 little-endian bytes with a BOM.
    static func utf16LE(_ text: String, bom: Bool = true) -> Data {
        var data = Data(bom ? [0xFF, 0xFE] : [])
        for unit in text.utf16 {
            data.append(UInt8(unit & 0xFF))
            data.append(UInt8(unit >> 8))
        }
        return data
    }

    /// UTF-16 big-endian bytes with a BOM.
    static func utf16BE(_ text: String, bom: Bool = true) -> Data {
        var data = Data(bom ? [0xFE, 0xFF] : [])
        for unit in text.utf16 {
            data.append(UInt8(unit >> 8))
            data.append(UInt8(unit & 0xFF))
        }
        return data
    }
}
