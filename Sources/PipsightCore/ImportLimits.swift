import Foundation

/// The most an importer accepts from one file, so that no input can exhaust memory or the stack.
///
/// Every limit is checked while reading; exceeding one stops the import with a `limit_exceeded`
/// ``PipsightError`` that names the file, the line or JSON path, the limit and the environment variable that
/// raises it. The defaults are far above what cTrader writes (see `docs/configuration.md`).
public struct ImportLimits: Sendable, Hashable {
    /// Largest file, in bytes (`PIPSIGHT_IMPORT_MAX_FILE_BYTES`).
    public var maxFileBytes: Int
    /// Most records in one file: CSV data rows, events, report history items, optimisation passes,
    /// parameters (`PIPSIGHT_IMPORT_MAX_ROWS`).
    public var maxRows: Int
    /// Most fields in one CSV record (`PIPSIGHT_IMPORT_MAX_COLUMNS`).
    public var maxColumns: Int
    /// Longest CSV record or header line, in bytes (`PIPSIGHT_IMPORT_MAX_LINE_BYTES`).
    public var maxLineBytes: Int
    /// Deepest nesting of JSON arrays and objects (`PIPSIGHT_IMPORT_MAX_JSON_DEPTH`).
    public var maxJSONDepth: Int
    /// Longest JSON string or number, XML attribute or text, in bytes (`PIPSIGHT_IMPORT_MAX_STRING_BYTES`).
    public var maxStringBytes: Int
    /// Most events of one position in an events.json, or deals of one position (`PIPSIGHT_IMPORT_MAX_EVENTS_PER_POSITION`).
    public var maxEventsPerPosition: Int
    /// Set when an environment variable could not be read; the first import reports it.
    public var configurationError: PipsightError?

    /// Limits with the given values; each one left out takes its default.
    public init(
        maxFileBytes: Int = 16 << 30, maxRows: Int = 100_000_000, maxColumns: Int = 512,
        maxLineBytes: Int = 1 << 20, maxJSONDepth: Int = 128, maxStringBytes: Int = 1 << 20,
        maxEventsPerPosition: Int = 100_000
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxRows = maxRows
        self.maxColumns = maxColumns
        self.maxLineBytes = maxLineBytes
        self.maxJSONDepth = maxJSONDepth
        self.maxStringBytes = maxStringBytes
        self.maxEventsPerPosition = maxEventsPerPosition
    }

    /// The built-in defaults.
    public static let defaults = ImportLimits()

    /// The limits of this process: the defaults, overridden by the `PIPSIGHT_IMPORT_*` variables.
    /// A variable that is not a positive integer leaves ``configurationError`` set instead.
    public static let configured: ImportLimits = {
        do {
            return try ImportLimits(environment: ProcessInfo.processInfo.environment)
        } catch let error as PipsightError {
            var limits = ImportLimits()
            limits.configurationError = error
            return limits
        } catch {
            return ImportLimits()
        }
    }()

    /// The environment variable of each limit, with its key path.
    public static var variables: [(name: String, keyPath: WritableKeyPath<ImportLimits, Int>)] {[
        ("PIPSIGHT_IMPORT_MAX_FILE_BYTES", \.maxFileBytes),
        ("PIPSIGHT_IMPORT_MAX_ROWS", \.maxRows),
        ("PIPSIGHT_IMPORT_MAX_COLUMNS", \.maxColumns),
        ("PIPSIGHT_IMPORT_MAX_LINE_BYTES", \.maxLineBytes),
        ("PIPSIGHT_IMPORT_MAX_JSON_DEPTH", \.maxJSONDepth),
        ("PIPSIGHT_IMPORT_MAX_STRING_BYTES", \.maxStringBytes),
        ("PIPSIGHT_IMPORT_MAX_EVENTS_PER_POSITION", \.maxEventsPerPosition),
    ]}

    /// The defaults overridden by the `PIPSIGHT_IMPORT_*` variables of `environment`. Values are positive
    /// integers; `_` separators and a `K`/`M`/`G` suffix (powers of 1024) are accepted (`512M`).
    /// Throws a `configuration_error` naming the variable otherwise.
    public init(environment: [String: String]) throws {
        self.init()
        for (name, keyPath) in Self.variables {
            guard let text = environment[name] else { continue }
            guard let value = Self.parseSize(text) else {
                throw PipsightError(
                    .configuration, "\(name) must be a positive integer (a K, M or G suffix allowed), got \"\(text)\"")
            }
            self[keyPath: keyPath] = value
        }
    }

    /// The environment variable that sets `keyPath`, for error messages.
    public static func variable(for keyPath: WritableKeyPath<ImportLimits, Int>) -> String {
        variables.first { $0.keyPath == keyPath }?.name ?? "PIPSIGHT_IMPORT_*"
    }

    /// `1048576`, `1_048_576`, `1024K`, `1M`, `16G` → bytes or counts; nil unless positive and in range.
    static func parseSize(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        var multiplier = 1
        switch digits.last {
        case "k", "K": multiplier = 1 << 10
        case "m", "M": multiplier = 1 << 20
        case "g", "G": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits.removeLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}
