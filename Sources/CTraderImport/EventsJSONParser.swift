import Foundation
import Logging
import PipsightCore

/// Reads a backtest's `events.json` (the Events tab): a JSON array of event objects.
///
/// The file is streamed: the bytes are walked once, each top-level array element is parsed on its own
/// and dropped once its records are emitted, so memory holds one element and the positions still open,
/// never the whole document. Each element gives an `.event` record (unknown event names are kept as
/// written; unknown keys go to `extra`). Trades are rebuilt per `positionId` (see ``OpenPositionBook``)
/// and emitted as soon as a position closes, right after the closing event.
///
/// Errors name the element and the line it starts on:
/// `events.json: line 5012: [412].time: expected epoch milliseconds, got "abc"`.
public struct EventsJSONParser: ExportParser {
    /// Always `.eventsJSON`.
    public var format: ExportFormat { .eventsJSON }

    /// Creates a parser; it holds no state, so one value can parse many files, concurrently too.
    public init() {}

    /// Events between two hand-backs of the input pages already read (see `MappedFile`).
    static let releaseInterval = 8192

    public func parse(
        _ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        try input.limits.checkFile(input)
        let bytes = try JSONInputText.utf8Bytes(of: input)
        let file = input.name
        let counts = try JSONByteParser.withParser(bytes, file: file, limits: input.limits) {
            parser -> (events: Int, trades: Int, start: Decimal?, end: Decimal?) in
            guard try parser.beginArray() else {
                let line = parser.reportedLine
                let document = try parser.parseDocument()
                throw PipsightError(
                    .wrongType, "expected a JSON array of events, got \(document.shortDescription)",
                    location: ErrorLocation(file: file, line: line)
                )
            }
            var book = OpenPositionBook(file: file, logger: logger, maxEventsPerPosition: input.limits.maxEventsPerPosition)
            var events = 0
            var trades = 0
            while let (node, line) = try parser.nextElement() {
                let event = try Self.event(from: node, index: events, line: line, file: file)
                try emit(.event(event))
                if let trade = try book.apply(event, index: events, line: line) {
                    try emit(.trade(trade))
                    trades += 1
                }
                events += 1
                if events % Self.releaseInterval == 0, let read = parser.readPointer { input.releasePages(before: read) }
            }
            book.finish()
            return (events, trades, book.startingBalance, book.balance)
        }
        logger.debug(
            "read events",
            metadata: ["import.file": "\(file)", "import.events": "\(counts.events)", "import.trades": "\(counts.trades)"]
        )
        return BacktestHeader(
            format: .eventsJSON, startingCapital: counts.start, endingBalance: counts.end,
            netProfit: counts.start.flatMap { start in counts.end.map { $0 - start } })
    }

    /// Decodes one element in a single pass over its keys (unknown keys go to `extra`).
    /// `serial` defaults to the element's index when absent.
    static func event(from node: JSONNode, index: Int, line: Int, file: String) throws -> PositionEvent {
        guard let object = node.object else {
            throw PipsightError(
                .wrongType, "expected an event object, got \(node.shortDescription)",
                location: ErrorLocation(file: file, line: line, path: "[\(index)]")
            )
        }
        let reader = JSONFieldReader(object, elementIndex: index, file: file, line: line)
        var serial: JSONNode?, orderId: JSONNode?, positionId: JSONNode?, name: JSONNode?, time: JSONNode?
        var volume: JSONNode?, quantity: JSONNode?, type: JSONNode?, entryPrice: JSONNode?, tp: JSONNode?
        var sl: JSONNode?, closePrice: JSONNode?, grossProfit: JSONNode?, pips: JSONNode?, balance: JSONNode?
        var equity: JSONNode?
        var extra: [String: JSONValue] = [:]
        for (key, value) in object.members {
            // Dispatch on the key's length first: a string switch compares case by case.
            switch key.utf8.count {
            case 2 where key == "tp": tp = value
            case 2 where key == "sl": sl = value
            case 4 where key == "time": time = value
            case 4 where key == "type": type = value
            case 4 where key == "pips": pips = value
            case 5 where key == "event": name = value
            case 6 where key == "serial": serial = value
            case 6 where key == "volume": volume = value
            case 6 where key == "equity": equity = value
            case 7 where key == "orderId": orderId = value
            case 7 where key == "balance": balance = value
            case 8 where key == "quantity": quantity = value
            case 10 where key == "positionId": positionId = value
            case 10 where key == "entryPrice": entryPrice = value
            case 10 where key == "closePrice": closePrice = value
            case 11 where key == "grossProfit": grossProfit = value
            default: extra[key] = value.jsonValue
            }
        }
        let direction: TradeDirection?
        if let typeText = try reader.string("type", type) {
            guard let parsed = JSONFieldReader.direction(typeText) else {
                throw reader.invalid("type", "expected \"Buy\" or \"Sell\", got \(JSONNode.string(typeText).shortDescription)")
            }
            direction = parsed
        } else {
            direction = nil
        }
        guard let eventName = try reader.string("event", name) else { throw reader.missing("event") }
        guard let eventTime = try reader.epochDate("time", time) else { throw reader.missing("time") }
        return PositionEvent(
            serial: try reader.int64("serial", serial) ?? Int64(index),
            positionId: try reader.identifier("positionId", positionId),
            orderId: try reader.identifier("orderId", orderId),
            name: eventName,
            time: eventTime,
            volume: try reader.decimal("volume", volume),
            quantity: try reader.decimal("quantity", quantity),
            direction: direction,
            entryPrice: try reader.decimal("entryPrice", entryPrice),
            takeProfit: try reader.decimal("tp", tp),
            stopLoss: try reader.decimal("sl", sl),
            closePrice: try reader.decimal("closePrice", closePrice),
            grossProfit: try reader.decimal("grossProfit", grossProfit),
            pips: try reader.decimal("pips", pips),
            balance: try reader.decimal("balance", balance),
            equity: try reader.decimal("equity", equity),
            extra: extra
        )
    }
}
