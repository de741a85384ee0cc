import CTraderImport
import Foundation
import Logging
import PipsightCore

/// One thing the fuzzer drives: a parser of one export format, or format detection.
///
/// Every target feeds the bytes to the code under test and accepts only two outcomes: a result, or a
/// `PipsightError`. Any other error is a broken contract and stops the process, so libFuzzer records the
/// input; crashes, sanitizer reports, hangs and runaway memory are caught by libFuzzer itself.
enum FuzzTarget: String, CaseIterable, Sendable {
    case reportJSON = "report-json"
    case reportHTML = "report-html"
    case eventsJSON = "events-json"
    case optres
    case historyCSV = "history-csv"
    case cbotset
    case detect

    /// The limits used while fuzzing: the defaults, smaller where a large value only slows the search.
    static let limits = ImportLimits(maxRows: 100_000, maxLineBytes: 1 << 16, maxStringBytes: 1 << 16)

    private static let logger = Logger(label: "pipsight.fuzz") { _ in SwiftLogNoOpLogHandler() }

    /// Runs the target on `data`; returns the records read (for replay summaries) or the error's text.
    @discardableResult
    func run(_ data: Data) -> Result<Int, PipsightError> {
        var input = ImportInput(name: "fuzz-input", data: data)
        input.limits = Self.limits
        do {
            switch self {
            case .detect:
                let format = try FormatDetector().detect(input)
                return .success(format == .historyCSV ? 1 : 0)
            default:
                var records = 0
                _ = try parser.parse(input, logger: Self.logger) { _ in records += 1 }
                return .success(records)
            }
        } catch let error as PipsightError {
            return .failure(error)
        } catch {
            fatalError("\(rawValue): a parser threw \(type(of: error)), not PipsightError: \(error)")
        }
    }

    private var parser: any ExportParser {
        switch self {
        case .reportJSON: ReportJSONParser()
        case .reportHTML: ReportHTMLParser()
        case .eventsJSON: EventsJSONParser()
        case .optres: OptresParser()
        case .historyCSV: HistoryCSVParser()
        case .cbotset: CBotSetParser()
        case .detect: ReportJSONParser()  // not used: `run` detects
        }
    }
}
