import Foundation
import Logging
import PipsightCore

/// Reads the History tab export of cTrader (CSV), as described in `docs/ctrader-formats.md` section 4.
///
/// Everything about the file is detected, each with an override:
/// - encoding: UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM (Excel writes UTF-16 LE + BOM);
/// - delimiter: `,` `;` or tab, the one counted most often outside quotes in the header line
///   (an Excel `sep=;` first line is honoured);
/// - decimal separator: voted by the number columns of the first 1,000 rows (`1,234.56` says point,
///   `12,5` says comma); with no evidence, comma for `;`-separated files and point otherwise;
/// - date order (`dd/MM` or `MM/dd`) from the first rows; `yyyy-MM-dd` and ISO 8601 need none;
/// - time zone from the time headers (`Opening Time (UTC+4)`: times are local UTC+4, stored as UTC) and
///   the account currency from the money headers (`Net USD`, `Gross P/L (EUR)`, `Net P/L €`).
///
/// Headers are matched by normalised name (case, spaces, punctuation, currency and time-zone suffix
/// ignored), never by position; columns Pipsight does not model go to `Trade.extra` as strings under
/// their header text. Rows sharing an `ID` are partial closes of one position and become one `Trade`
/// with one `Deal` per row (money, pips and volume summed, open time the earliest, close time and balance
/// the last deal's, close price the volume-weighted mean, as `ClosingDeals` does for the report).
/// A trade is emitted as soon as the next row has another ID. When the rows of a position are not adjacent (found by a first, light pass over the IDs), that
/// position is held in a dictionary until the end of the file and emitted after the others, in order of
/// first appearance. Blank lines and summary rows (`Total…`, or no opening and no closing time) are
/// skipped. Every error names the file, the physical line (1-based) and the column header.
///
/// The parser works on the UTF-8 bytes in place (UTF-16 is transcoded once) and never holds all rows.
public struct HistoryCSVParser: ExportParser {
    public var format: ExportFormat { .historyCSV }

    /// Field separator; nil to detect.
    public var delimiter: CSVDelimiter?
    /// Decimal separator of numbers; nil to detect.
    public var decimalSeparator: DecimalSeparator?
    /// Offset of the file's times from UTC in seconds; nil to take it from the time headers (UTC when absent).
    public var utcOffsetSeconds: Int?

    /// Creates a parser; each argument left nil is detected from the file.
    public init(delimiter: CSVDelimiter? = nil, decimalSeparator: DecimalSeparator? = nil, utcOffsetSeconds: Int? = nil) {
        self.delimiter = delimiter
        self.decimalSeparator = decimalSeparator
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Detects the encoding, delimiter and decimal separator of `input` without reading all of it.
    public func detectDialect(_ input: ImportInput) throws -> CSVDialect {
        try TextDecoding.withUTF8(input.data, fileName: input.name) { encoding, bytes in
            let layout = try locateHeader(bytes, fileName: input.name, limits: input.limits)
            let scan = try prescan(bytes, layout: layout, fileName: input.name, limits: input.limits)
            return CSVDialect(encoding: encoding, delimiter: layout.delimiter, decimalSeparator: scan.decimal)
        }
    }

    /// Records between two hand-backs of the input pages already read (see `MappedFile`).
    static let releaseInterval = 8192

    public func parse(_ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void) throws -> BacktestHeader {
        let name = input.name
        guard !input.data.isEmpty else {
            throw PipsightError(.emptyInput, "the file is empty", location: ErrorLocation(file: name))
        }
        let limits = input.limits
        try limits.checkFile(input)
        return try TextDecoding.withUTF8(input.data, fileName: name) { encoding, bytes in
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
                throw PipsightError(.emptyInput, "the file holds no text", location: ErrorLocation(file: name))
            }
            let layout = try locateHeader(bytes, fileName: name, limits: limits)
            let scan = try prescan(bytes, layout: layout, fileName: name, limits: limits)
            logger.debug(
                "History CSV dialect",
                metadata: [
                    "import.file": "\(name)", "import.encoding": "\(encoding)",
                    "import.delimiter": "\(layout.delimiter)", "import.decimal": "\(scan.decimal)",
                    "import.columns": "\(layout.fields.count)",
                ])
            var state = RowReader(
                layout: layout, decimal: scan.decimal, timestamps: TimestampParser(order: scan.dateOrder),
                fileName: name, offsetOverride: utcOffsetSeconds)
            let split = layout.index(of: .id) == nil ? [] : try nonAdjacentIDs(bytes, layout: layout, fileName: name, input: input)
            if !split.isEmpty {
                logger.debug("History CSV positions with non-adjacent rows", metadata: ["import.count": "\(split.count)"])
            }
            var summary = HeaderSummary()
            var current: TradeBuilder?
            var pending: [String: TradeBuilder] = [:]
            var pendingOrder: [String] = []

            var reader = CSVRecordReader(
                bytes: bytes, delimiter: layout.delimiter.byte, fileName: name,
                position: layout.dataStart, line: layout.dataLine, limits: limits)
            var records = 0
            while try reader.next() {
                records += 1
                try limits.checkRows(records, "rows", location: ErrorLocation(file: name, line: reader.recordLine))
                if records % Self.releaseInterval == 0, let read = reader.readPointer { input.releasePages(before: read) }
                guard let row = try state.read(&reader) else { continue }
                summary.add(row)
                if split.contains(row.positionId) {
                    if pending[row.positionId] == nil {
                        pending[row.positionId] = TradeBuilder(row)
                        pendingOrder.append(row.positionId)
                    } else {
                        pending[row.positionId]?.add(row)
                    }
                    try checkDeals(pending[row.positionId]?.dealCount ?? 0, row: row, limits: limits, fileName: name)
                    continue
                }
                if current?.positionId == row.positionId, layout.index(of: .id) != nil {
                    current?.add(row)
                    try checkDeals(current?.dealCount ?? 0, row: row, limits: limits, fileName: name)
                } else {
                    if let finished = current { try emit(.trade(finished.build())) }
                    current = TradeBuilder(row)
                }
            }
            if let finished = current { try emit(.trade(finished.build())) }
            for id in pendingOrder {
                if let builder = pending[id] { try emit(.trade(builder.build())) }
            }

            var header = BacktestHeader(format: .historyCSV)
            header.symbol = summary.singleSymbol
            header.depositAsset = layout.currency
            header.utcOffsetSeconds = utcOffsetSeconds ?? layout.headerOffset
            header.netProfit = summary.net
            header.endingBalance = summary.lastBalance
            if let balance = summary.firstBalance, let net = summary.firstNet { header.startingCapital = balance - net }
            header.testingStart = summary.firstOpen
            header.testingEnd = summary.lastClose
            header.extra = [
                "encoding": .string(encoding.rawValue),
                "delimiter": .string(String(layout.delimiter.character)),
                "decimalSeparator": .string(String(scan.decimal.character)),
            ]
            return header
        }
    }

    /// Throws when one position has more rows (closing deals) than ``ImportLimits/maxEventsPerPosition``.
    private func checkDeals(_ count: Int, row: HistoryRow, limits: ImportLimits, fileName: String) throws {
        guard count > limits.maxEventsPerPosition else { return }
        throw limits.exceeded(
            \.maxEventsPerPosition, "position \(row.positionId) has more rows than",
            location: ErrorLocation(file: fileName, line: row.line))
    }

    // MARK: - Header

    /// Where the header is and what its columns mean.
    struct Layout {
        var delimiter: CSVDelimiter
        var fields: [HistoryHeaderField]
        /// Column index of each known column (the first one when a header repeats).
        var columns: [HistoryColumn: Int] {
            didSet { indexByOrdinal = Self.indexes(columns) }
        }
        /// `columns` as an array by `HistoryColumn.ordinal` (-1: absent), read on every row.
        private var indexByOrdinal: [Int]
        var dataStart: Int
        var dataLine: Int
        var headerLine: Int
        var currency: String?
        var headerOffset: Int?

        init(
            delimiter: CSVDelimiter, fields: [HistoryHeaderField], columns: [HistoryColumn: Int], dataStart: Int,
            dataLine: Int, headerLine: Int, currency: String?, headerOffset: Int?
        ) {
            self.delimiter = delimiter
            self.fields = fields
            self.columns = columns
            self.indexByOrdinal = Self.indexes(columns)
            self.dataStart = dataStart
            self.dataLine = dataLine
            self.headerLine = headerLine
            self.currency = currency
            self.headerOffset = headerOffset
        }

        private static func indexes(_ columns: [HistoryColumn: Int]) -> [Int] {
            var result = Array(repeating: -1, count: HistoryColumn.allCases.count)
            for (column, index) in columns { result[column.ordinal] = index }
            return result
        }

        @inline(__always)
        func index(of column: HistoryColumn) -> Int? {
            let index = indexByOrdinal[column.ordinal]
            return index < 0 ? nil : index
        }
    }

    /// Finds the header: the first line among the first 20 non-blank lines (within 64 KB) whose cells
    /// name both an opening and a closing time (an Excel `sep=` line before it sets the delimiter).
    func locateHeader(
        _ bytes: UnsafeBufferPointer<UInt8>, fileName: String, limits: ImportLimits = .defaults
    ) throws -> Layout {
        var delimiterOverride = delimiter
        var position = 0
        var line = 1
        var candidates = 0
        let window = min(bytes.count, 65_536)
        var bestFound: [HistoryColumn] = []
        while position < window, candidates < 20 {
            var lineEnd = position
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
            var next = lineEnd
            if next < bytes.count {
                next += (bytes[next] == 0x0D && next + 1 < bytes.count && bytes[next + 1] == 0x0A) ? 2 : 1
            }
            let lineBytes = UnsafeBufferPointer(rebasing: bytes[position..<lineEnd])
            defer {
                position = next
                line += 1
            }
            if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            candidates += 1
            if lineBytes.count == 5, lineBytes.starts(with: Array("sep=".utf8)) {
                switch lineBytes[4] {
                case 0x2C: delimiterOverride = delimiterOverride ?? .comma
                case 0x3B: delimiterOverride = delimiterOverride ?? .semicolon
                case 0x09: delimiterOverride = delimiterOverride ?? .tab
                default: break
                }
                continue
            }
            guard let lineDelimiter = delimiterOverride ?? CSVDelimiter.detect(inHeaderLine: lineBytes) else { continue }
            var reader = CSVRecordReader(
                bytes: lineBytes, delimiter: lineDelimiter.byte, fileName: fileName, line: line, limits: limits)
            do {
                guard try reader.next() else { continue }
            } catch let error as PipsightError where error.code == .limitExceeded {
                throw error
            } catch {
                continue
            }
            var fields: [HistoryHeaderField] = []
            for index in 0..<reader.fieldCount {
                fields.append(HistoryHeaderField(String(decoding: reader.field(index), as: UTF8.self)))
            }
            var columns: [HistoryColumn: Int] = [:]
            for (index, field) in fields.enumerated() {
                if let column = field.column, columns[column] == nil { columns[column] = index }
            }
            if columns.count > bestFound.count { bestFound = Array(columns.keys) }
            guard let opening = columns[.openingTime], let closing = columns[.closingTime] else { continue }
            guard columns[.openingDirection] != nil || columns[.closingDirection] != nil else {
                throw PipsightError(
                    .missingField, "the header has no Opening Direction column",
                    location: ErrorLocation(file: fileName, line: line, field: "Opening Direction"))
            }
            let moneyOrder: [HistoryColumn] = [.net, .gross, .balance, .commission, .swap]
            let currency = moneyOrder.lazy.compactMap { columns[$0].flatMap { fields[$0].currency } }.first
            return Layout(
                delimiter: lineDelimiter, fields: fields, columns: columns, dataStart: next, dataLine: line + 1,
                headerLine: line, currency: currency,
                headerOffset: fields[opening].utcOffsetSeconds ?? fields[closing].utcOffsetSeconds)
        }
        let seen = bestFound.isEmpty ? "" : " (found only \(bestFound.map(\.rawValue).sorted().joined(separator: ", ")))"
        throw PipsightError(
            .malformedCSV,
            "no History header line: expected columns such as ID, Opening Time, Closing Time, Opening Direction\(seen)",
            location: ErrorLocation(file: fileName, line: 1))
    }

    // MARK: - Dialect

    struct Prescan {
        var decimal: DecimalSeparator
        var dateOrder: DateOrder
    }

    /// Votes on the decimal separator and the day/month order over the first 1,000 data rows.
    func prescan(
        _ bytes: UnsafeBufferPointer<UInt8>, layout: Layout, fileName: String, limits: ImportLimits = .defaults
    ) throws -> Prescan {
        let numeric = layout.columns.filter { $0.key.isNumeric }.map(\.value)
        let times = [layout.index(of: .openingTime), layout.index(of: .closingTime)].compactMap { $0 }
        var points = 0
        var commas = 0
        var dayFirst = 0
        var monthFirst = 0
        var reader = CSVRecordReader(
            bytes: bytes, delimiter: layout.delimiter.byte, fileName: fileName,
            position: layout.dataStart, line: layout.dataLine, limits: limits)
        var rows = 0
        while rows < 1000, try reader.next() {
            rows += 1
            if decimalSeparator == nil {
                for index in numeric {
                    switch LocaleNumber.evidence(reader.field(index)) {
                    case .point?: points += 1
                    case .comma?: commas += 1
                    case nil: break
                    }
                }
            }
            for index in times {
                switch TimestampParser.orderEvidence(reader.field(index)) {
                case .dayMonthYear?: dayFirst += 1
                case .monthDayYear?: monthFirst += 1
                case nil: break
                }
            }
        }
        let decimal: DecimalSeparator
        if let decimalSeparator {
            decimal = decimalSeparator
        } else if points != commas {
            decimal = points > commas ? .point : .comma
        } else {
            decimal = layout.delimiter == .semicolon ? .comma : .point
        }
        return Prescan(decimal: decimal, dateOrder: monthFirst > dayFirst ? .monthDayYear : .dayMonthYear)
    }

    /// IDs whose rows are not adjacent: a light pass reading only the ID field. Finished runs are
    /// remembered by a 64-bit hash in a Bloom filter (``SeenHashes``, about 2 bytes per 100 bytes of file), so
    /// memory stays small; a collision only makes a position wait until the end of the file, never changes a
    /// result.
    func nonAdjacentIDs(
        _ bytes: UnsafeBufferPointer<UInt8>, layout: Layout, fileName: String, input: ImportInput? = nil
    ) throws -> Set<String> {
        guard let idIndex = layout.index(of: .id) else { return [] }
        var reader = CSVRecordReader(
            bytes: bytes, delimiter: layout.delimiter.byte, fileName: fileName,
            position: layout.dataStart, line: layout.dataLine, limits: input?.limits ?? .defaults)
        // About one ID per 100 bytes of rows; a shorter average only raises the false-positive rate.
        var finished = SeenHashes(expected: bytes.count / 100)
        var currentHash: UInt64?
        var split = Set<String>()
        var records = 0
        while try reader.next() {
            records += 1
            if records % Self.releaseInterval == 0, let read = reader.readPointer { input?.releasePages(before: read) }
            let field = reader.field(idIndex)
            guard !field.isEmpty else { continue }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in field {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            if hash == currentHash { continue }
            if let currentHash { finished.insert(currentHash) }
            currentHash = hash
            if finished.contains(hash) {
                split.insert(String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces))
            }
        }
        return split
    }
}

// MARK: - Rows

/// One data row, converted.
struct HistoryRow {
    var line: Int
    var positionId: String
    var orderId: String?
    var symbol: String?
    var label: String?
    var direction: TradeDirection
    var openTime: Date
    var closeTime: Date
    var entryPrice: Decimal?
    var closePrice: Decimal?
    var quantity: Decimal?
    var volume: Decimal?
    var swap: Decimal?
    var commission: Decimal?
    var gross: Decimal?
    var net: Decimal?
    var balance: Decimal?
    var pips: Decimal?
    var extra: [String: JSONValue]
}

/// Converts the fields of one record into a `HistoryRow`, naming line and header on every error.
private struct RowReader {
    let layout: HistoryCSVParser.Layout
    let decimal: DecimalSeparator
    let timestamps: TimestampParser
    let fileName: String
    let offsetOverride: Int?
    /// Header index → column, for the known columns (first occurrence only).
    private let known: [HistoryColumn?]

    init(
        layout: HistoryCSVParser.Layout, decimal: DecimalSeparator, timestamps: TimestampParser, fileName: String,
        offsetOverride: Int?
    ) {
        self.layout = layout
        self.decimal = decimal
        self.timestamps = timestamps
        self.fileName = fileName
        self.offsetOverride = offsetOverride
        var known: [HistoryColumn?] = Array(repeating: nil, count: layout.fields.count)
        for (column, index) in layout.columns { known[index] = column }
        self.known = known
    }

    private func error(_ code: PipsightError.Code, _ message: String, line: Int, index: Int) -> PipsightError {
        let field = index < layout.fields.count ? layout.fields[index].text : "column \(index + 1)"
        return PipsightError(code, message, location: ErrorLocation(file: fileName, line: line, field: field))
    }

    private func quote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(80), as: UTF8.self)
        return "\"\(text)\(bytes.count > 80 ? "…" : "")\""
    }

    private func string(_ reader: CSVRecordReader, _ column: HistoryColumn) throws -> String? {
        guard let index = layout.index(of: column) else { return nil }
        return try text(reader, index)
    }

    private func text(_ reader: CSVRecordReader, _ index: Int) throws -> String? {
        let bytes = Self.trimmed(reader.field(index))
        guard !bytes.isEmpty else { return nil }
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let value = String(validating: bytes, as: UTF8.self) else {
            throw error(.badEncoding, "the text is not valid UTF-8", line: reader.recordLine, index: index)
        }
        return value
    }

    /// `bytes` without leading and trailing spaces and tabs.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// `Buy`/`Sell`/`Long`/`Short` in any case, read from the bytes.
    private static func direction(_ field: UnsafeBufferPointer<UInt8>) -> TradeDirection? {
        let bytes = trimmed(field)
        guard bytes.count >= 3, bytes.count <= 5 else { return nil }
        var lower: UInt64 = 0
        for byte in bytes { lower = lower << 8 | UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        switch lower {
        case 0x62_7579, 0x6C_6F6E_67: return .buy  // buy, long
        case 0x7365_6C6C, 0x73_686F_7274: return .sell  // sell, short
        default: return nil
        }
    }

    private func number(_ reader: CSVRecordReader, _ column: HistoryColumn) throws -> Decimal? {
        guard let index = layout.index(of: column) else { return nil }
        let bytes = reader.field(index)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        guard let value = LocaleNumber.parse(bytes, decimal: decimal) else {
            throw error(.wrongType, "expected a number, got \(quote(bytes))", line: reader.recordLine, index: index)
        }
        return value
    }

    private func time(_ reader: CSVRecordReader, _ column: HistoryColumn) throws -> Date {
        guard let index = layout.index(of: column) else {
            throw PipsightError(.missingField, "no \(column.rawValue) column", location: ErrorLocation(file: fileName))
        }
        let bytes = reader.field(index)
        guard let parsed = timestamps.parse(bytes) else {
            let example = timestamps.order == .dayMonthYear ? "31/12/2024 23:59:59" : "12/31/2024 23:59:59"
            throw error(
                bytes.isEmpty ? .missingField : .wrongType,
                "expected a date and time such as \(example), got \(quote(bytes))", line: reader.recordLine,
                index: index)
        }
        let milliseconds: Int64
        if parsed.explicitOffsetSeconds == nil, offsetOverride == nil, let zone = layout.fields[index].timeZone {
            guard let utc = WallClockZone.utcMilliseconds(wallClock: parsed.wallClockMilliseconds, in: zone) else {
                throw error(
                    .invalidValue,
                    "\(quote(bytes)) does not exist in \(zone.identifier): the clocks skip it when daylight-saving time starts",
                    line: reader.recordLine, index: index)
            }
            milliseconds = utc
        } else {
            let offset = parsed.explicitOffsetSeconds ?? offsetOverride ?? layout.fields[index].utcOffsetSeconds ?? 0
            milliseconds = parsed.wallClockMilliseconds - Int64(offset) * 1000
        }
        guard milliseconds >= EpochMilliseconds.lowerBound, milliseconds < EpochMilliseconds.upperBound else {
            throw error(
                .invalidValue, "\(quote(bytes)) is not a plausible backtest time (expected a date from 2000 through 2099)",
                line: reader.recordLine, index: index)
        }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private func isEmpty(_ reader: CSVRecordReader, _ column: HistoryColumn) -> Bool {
        guard let index = layout.index(of: column) else { return true }
        return reader.field(index).allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    private static let summaryWords: [[UInt8]] = ["total", "summary", "grandtotal", "sum"].map { Array($0.utf8) }

    /// True for a summary row: `Total`, `Totals`, `Grand total`, `Sum` or `Summary` (any case, a colon
    /// allowed) in its first cell or its ID cell.
    private func isSummary(_ reader: CSVRecordReader) -> Bool {
        isSummaryCell(reader.field(0)) || (layout.index(of: .id).map { isSummaryCell(reader.field($0)) } ?? false)
    }

    private func isSummaryCell(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        let cell = Self.trimmed(field)
        guard let first = cell.first, first | 0x20 == 0x74 || first | 0x20 == 0x73 || first | 0x20 == 0x67 else {
            return false
        }
        var lowered: [UInt8] = []
        for byte in cell where byte != 0x3A && byte != 0x20 {
            lowered.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return Self.summaryWords.contains { word in
            lowered == word || (lowered.starts(with: word) && lowered.count == word.count + 1 && lowered.last == 0x73)
        }
    }

    /// The row, or nil for a blank or summary row.
    mutating func read(_ reader: inout CSVRecordReader) throws -> HistoryRow? {
        if reader.isBlank { return nil }
        if isEmpty(reader, .openingTime), isEmpty(reader, .closingTime) { return nil }
        if isSummary(reader) { return nil }
        let line = reader.recordLine

        let positionId: String
        if let idIndex = layout.index(of: .id) {
            guard let id = try text(reader, idIndex) else {
                throw error(.missingField, "expected a position ID, got an empty cell", line: line, index: idIndex)
            }
            positionId = id
        } else {
            positionId = "line-\(line)"
        }

        let direction: TradeDirection
        if let index = layout.index(of: .openingDirection) {
            guard let parsed = Self.direction(reader.field(index)) else {
                throw error(.wrongType, "expected Buy or Sell, got \(quote(reader.field(index)))", line: line, index: index)
            }
            direction = parsed
        } else if let index = layout.index(of: .closingDirection) {
            guard let parsed = Self.direction(reader.field(index)) else {
                throw error(.wrongType, "expected Buy or Sell, got \(quote(reader.field(index)))", line: line, index: index)
            }
            direction = parsed == .buy ? .sell : .buy
        } else {
            throw PipsightError(.missingField, "no direction column", location: ErrorLocation(file: fileName))
        }

        let openTime = try time(reader, .openingTime)
        let closeTime = try time(reader, .closingTime)
        if closeTime < openTime {
            throw error(
                .invalidValue, "the closing time is before the opening time", line: line,
                index: layout.index(of: .closingTime) ?? 0)
        }

        var extra: [String: JSONValue] = [:]
        for index in 0..<max(reader.fieldCount, known.count) {
            let column = index < known.count ? known[index] : nil
            switch column {
            case .comment?:
                if let value = try text(reader, index) { extra["comment"] = .string(value) }
            case .closingQuoteVolume?:
                if let value = try text(reader, index) { extra[layout.fields[index].text] = .string(value) }
            case nil:
                if let value = try text(reader, index) {
                    let key = index < layout.fields.count && !layout.fields[index].text.isEmpty
                        ? layout.fields[index].text : "column \(index + 1)"
                    extra[key] = .string(value)
                }
            default:
                break
            }
        }

        return HistoryRow(
            line: line, positionId: positionId, orderId: try string(reader, .orderId), symbol: try string(reader, .symbol),
            label: try string(reader, .label), direction: direction, openTime: openTime, closeTime: closeTime,
            entryPrice: try number(reader, .entryPrice), closePrice: try number(reader, .closingPrice),
            quantity: try number(reader, .closingQuantity), volume: try number(reader, .closingVolume),
            swap: try number(reader, .swap), commission: try number(reader, .commission),
            gross: try number(reader, .gross), net: try number(reader, .net), balance: try number(reader, .balance),
            pips: try number(reader, .pips), extra: extra)
    }
}

// MARK: - Trades

/// Gathers the rows (closing deals) of one position. The trade is assembled by `ClosingDeals`, as the
/// report parser does: money, pips and volumes summed, close time and balance the last deal's, close
/// price the volume-weighted mean; identity, direction, entry price and `extra` come from the first row.
private struct TradeBuilder {
    var positionId: String
    private var first: HistoryRow
    private var deals: [Deal] = []
    private var openTime: Date
    /// Rows gathered so far.
    var dealCount: Int { deals.count }

    init(_ row: HistoryRow) {
        positionId = row.positionId
        first = row
        openTime = row.openTime
        add(row)
    }

    mutating func add(_ row: HistoryRow) {
        deals.append(
            Deal(
                dealId: row.orderId ?? "\(row.positionId)#\(deals.count + 1)", closeTime: row.closeTime,
                closePrice: row.closePrice, volume: row.volume, quantity: row.quantity, grossProfit: row.gross,
                netProfit: row.net, commissions: row.commission, swaps: row.swap, pips: row.pips, balance: row.balance))
        openTime = min(openTime, row.openTime)
    }

    func build() -> Trade {
        var trade = Trade(
            positionId: positionId, symbol: first.symbol, label: first.label, direction: first.direction,
            openTime: openTime, closeTime: first.closeTime, entryPrice: first.entryPrice, closeReason: .unknown,
            extra: first.extra)
        ClosingDeals.apply(deals, to: &trade, summingVolume: true)
        return trade
    }
}

/// File-level facts gathered while reading, for the header.
private struct HeaderSummary {
    var symbol: String?
    var mixedSymbols = false
    var netSum = ExactSum()
    var net: Decimal? { netSum.result }
    var firstBalance: Decimal?
    var firstNet: Decimal?
    var lastBalance: Decimal?
    var firstOpen: Date?
    var lastClose: Date?
    var rows = 0

    var singleSymbol: String? { mixedSymbols ? nil : symbol }

    mutating func add(_ row: HistoryRow) {
        rows += 1
        if let value = row.symbol {
            if symbol == nil { symbol = value } else if symbol != value { mixedSymbols = true }
        }
        if let value = row.net { netSum.add(value) }
        if rows == 1 {
            firstBalance = row.balance
            firstNet = row.net
        }
        if let balance = row.balance { lastBalance = balance }
        firstOpen = min(firstOpen ?? row.openTime, row.openTime)
        lastClose = max(lastClose ?? row.closeTime, row.closeTime)
    }
}
