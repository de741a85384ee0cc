import Foundation
import Logging
import PipsightCore

/// Reads a cTrader backtest report (`report.json`, written by `ctrader-cli backtest --report-json`).
///
/// - The header comes from `main` (symbol, period, money, account, `testingPeriod` as epoch ms).
///   `tradeStatistics` and `equity` are kept whole in `reportedStatistics`; `main` keys that are not
///   modelled go to `extra["main"]`, unknown top-level keys to `extra[key]`.
/// - `history.items` are closing deals. Items are grouped per position (`positionId` when an item has
///   one, else `id`); several items for one position are a partial close and give one `Trade` with
///   several `deals`, its money, pips and volume summed, `openTime` the earliest `entryTime` and
///   `closeTime` the last deal's. `history` may be `{columns, items}` with items as objects or as
///   arrays aligned with `columns`, or a bare array of items. Unknown item keys go to `trade.extra`.
/// - A top-level `parameters` (object name → value, or array of `{name, value, …}`) gives
///   `.parameter` records.
///
/// Records are emitted in the order of the report's top-level keys; trades in the order their
/// position first appears in `history.items`.
public struct ReportJSONParser: ExportParser {
    /// Always `.reportJSON`.
    public var format: ExportFormat { .reportJSON }

    /// Creates a parser; it holds no state, so one value can parse many files, concurrently too.
    public init() {}

    public func parse(
        _ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        try input.limits.checkFile(input)
        let bytes = try JSONInputText.utf8Bytes(of: input)
        let document = try JSONByteParser.withParser(bytes, file: input.name, limits: input.limits) {
            try $0.parseDocument()
        }
        return try parse(document: document, file: input.name, format: .reportJSON, logger: logger, emit: emit)
    }

    // MARK: Document

    private static let topLevelKeys: Set<String> = ["main", "equity", "tradeStatistics", "history", "parameters"]
    private static let mainKeys: Set<String> = [
        "symbol", "period", "netProfit", "startingCapital", "endingBalance", "endingEquity", "depositAsset",
        "accountType", "accountLeverage", "brokerTitle", "cBotName",
    ]

    /// Reads an already parsed report (shared with ``ReportHTMLParser``).
    func parse(
        document: JSONNode, file: String, format: ExportFormat, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        guard let root = document.object else {
            throw PipsightError(
                .wrongType, "expected a backtest report object, got \(document.shortDescription)",
                location: ErrorLocation(file: file, line: 1)
            )
        }
        guard root["main"] != nil || root["history"] != nil else {
            throw PipsightError(
                .unknownFormat, "not a cTrader backtest report: it has neither \"main\" nor \"history\"",
                location: ErrorLocation(file: file, line: root.line > 0 ? root.line : nil)
            )
        }
        let reader = JSONFieldReader(root, path: "", file: file)
        var header = BacktestHeader(format: format)
        if let main = try reader.nested("main") {
            try readMain(main, into: &header)
        }
        var statistics: [String: JSONValue] = [:]
        if let tradeStatistics = root["tradeStatistics"] { statistics["tradeStatistics"] = tradeStatistics.jsonValue }
        if let equity = root["equity"] { statistics["equity"] = equity.jsonValue }
        header.reportedStatistics = statistics.isEmpty ? nil : .object(statistics)
        header.extra.merge(root.extra(excluding: Self.topLevelKeys)) { current, _ in current }

        var tradeCount = 0
        for member in root.members {
            switch member.key {
            case "history":
                tradeCount += try readHistory(member.value, file: file, emit: emit)
            case "parameters":
                for parameter in try JSONParameterList.parameters(
                    in: member.value, path: "parameters", file: file, line: nil
                ) {
                    try emit(.parameter(parameter))
                }
            default:
                break
            }
        }
        logger.debug(
            "read backtest report",
            metadata: ["import.file": "\(file)", "import.trades": "\(tradeCount)"]
        )
        return header
    }

    private func readMain(_ main: JSONFieldReader, into header: inout BacktestHeader) throws {
        header.symbol = try main.string("symbol")
        header.period = try main.string("period")
        header.netProfit = try main.decimal("netProfit")
        header.startingCapital = try main.decimal("startingCapital")
        header.endingBalance = try main.decimal("endingBalance")
        header.endingEquity = try main.decimal("endingEquity")
        header.depositAsset = try main.string("depositAsset")
        header.accountType = try main.string("accountType")
        header.broker = try main.string("brokerTitle")
        header.cBotName = try main.string("cBotName")
        header.leverage = try leverage(main)
        if let period = try main.nested("testingPeriod") {
            header.testingStart = try period.epochDate("startDate")
            header.testingEnd = try period.epochDate("endDate")
        }
        let mainExtra = main.object.extra(excluding: Self.mainKeys)
        if !mainExtra.isEmpty { header.extra["main"] = .object(mainExtra) }
    }

    /// `accountLeverage` as a number (`500`) or as text (`"1:500"`).
    private func leverage(_ main: JSONFieldReader) throws -> Decimal? {
        if case .string(let text)? = main.value("accountLeverage"), let colon = text.lastIndex(of: ":") {
            let ratio = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let value = JSONNumberLiteral.decimal(ratio) { return value }
        }
        return try main.decimal("accountLeverage")
    }

    // MARK: History

    /// Emits one trade per position of `history`; returns how many.
    private func readHistory(_ history: JSONNode, file: String, emit: (ImportRecord) throws -> Void) throws -> Int {
        let items: [JSONNode]
        var columns: [String]?
        let itemsPath: String
        switch history {
        case .null:
            return 0
        case .array(let array):
            items = array
            itemsPath = "history"
        case .object(let object):
            let reader = JSONFieldReader(object, path: "history", file: file)
            if let columnsNode = reader.value("columns") {
                columns = try columnNames(columnsNode, reader: reader)
            }
            guard let itemsNode = reader.value("items") else { return 0 }
            guard let array = itemsNode.array else {
                throw reader.wrongType("items", expected: "an array", got: itemsNode)
            }
            items = array
            itemsPath = "history.items"
        default:
            throw PipsightError(
                .wrongType, "expected history as an object or an array, got \(history.shortDescription)",
                location: ErrorLocation(file: file, path: "history", field: "history")
            )
        }

        var groups: [ReportPositionDeals] = []
        var groupIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "\(itemsPath)[\(index)]"
            let object = try itemObject(item, columns: columns, path: path, file: file)
            let parsed = try ReportHistoryItem(object, path: path, file: file)
            if let existing = groupIndex[parsed.positionKey] {
                groups[existing].items.append(parsed)
            } else {
                groupIndex[parsed.positionKey] = groups.count
                groups.append(ReportPositionDeals(positionKey: parsed.positionKey, items: [parsed]))
            }
        }
        for group in groups {
            try emit(.trade(try group.trade()))
        }
        return groups.count
    }

    /// Column names: strings, or objects naming the column in `name`/`key`/`id`/`field`.
    private func columnNames(_ node: JSONNode, reader: JSONFieldReader) throws -> [String] {
        guard let array = node.array else { throw reader.wrongType("columns", expected: "an array", got: node) }
        var names: [String] = []
        for (index, column) in array.enumerated() {
            switch column {
            case .string(let name):
                names.append(name)
            case .object(let object):
                let name = ["name", "key", "id", "field"].lazy.compactMap { key -> String? in
                    if case .string(let text)? = object[key] { return text }
                    return nil
                }.first
                guard let name else {
                    throw reader.missing("columns[\(index)].name", "column name")
                }
                names.append(name)
            default:
                throw reader.wrongType("columns[\(index)]", expected: "a column name", got: column)
            }
        }
        return names
    }

    /// An item as an object; an array item is zipped with `columns`.
    private func itemObject(_ item: JSONNode, columns: [String]?, path: String, file: String) throws -> JSONObject {
        switch item {
        case .object(let object):
            return object
        case .array(let values):
            guard let columns else {
                throw PipsightError(
                    .missingField, "history items are arrays but history has no \"columns\"",
                    location: ErrorLocation(file: file, path: "history.columns", field: "columns")
                )
            }
            guard values.count == columns.count else {
                throw PipsightError(
                    .invalidValue, "the item has \(values.count) values but history.columns names \(columns.count)",
                    location: ErrorLocation(file: file, path: path)
                )
            }
            return JSONObject(members: Array(zip(columns, values)).map { (key: $0.0, value: $0.1) })
        default:
            throw PipsightError(
                .wrongType, "expected a history item (an object or an array), got \(item.shortDescription)",
                location: ErrorLocation(file: file, path: path)
            )
        }
    }
}
