import Foundation
import Logging
import PipsightCore

/// Rebuilds trades from `events.json` events, holding only the positions that are still open.
///
/// Rules (kept simple, as little is known about the format):
/// - `Create Position` or `Stop Order Filled` opens a position: direction from `type`, entry price,
///   volume, quantity, the stop loss and take profit in force.
/// - Every later event of the position (`Position Modified …` above all) updates the S/L and T/P
///   history: the initial stop loss is the first non-null `sl` seen on the position, the final one the
///   last non-null `sl` seen (the same for `tp`).
/// - `Stop Loss Hit`, `Take Profit Hit` and `Position closed` are closing deals (close reason stop loss,
///   take profit, manual). A close whose `volume` is smaller than the volume still open is a partial
///   close: it becomes a `Deal` and the position stays open with the rest. When nothing remains (or the
///   close gives no volume) the trade is returned, with all its deals summed (see ``ClosingDeals``).
/// - Events of positions never opened in the file are ignored (logged at warning); positions still
///   open at the end are not trades (logged at debug by ``finish()``).
/// - Net profit: events carry only the gross profit, but every close carries the account balance after it.
///   A deal's net profit is the change of balance since the previous close (commissions and swaps included);
///   the balance before the first close is the equity of the first event, when no position was open yet.
struct OpenPositionBook {
    private struct OpenPosition {
        var positionId: String
        var direction: TradeDirection?
        var openTime: Date
        var entryPrice: Decimal?
        var volume: Decimal?
        var quantity: Decimal?
        var remainingVolume: Decimal?
        var initialStopLoss: Decimal?
        var finalStopLoss: Decimal?
        var initialTakeProfit: Decimal?
        var finalTakeProfit: Decimal?
        var deals: [Deal] = []
        /// Events of this position seen so far, the opening one included.
        var eventCount = 1

        mutating func observe(stopLoss: Decimal?, takeProfit: Decimal?) {
            if let stopLoss {
                if initialStopLoss == nil { initialStopLoss = stopLoss }
                finalStopLoss = stopLoss
            }
            if let takeProfit {
                if initialTakeProfit == nil { initialTakeProfit = takeProfit }
                finalTakeProfit = takeProfit
            }
        }
    }

    let file: String
    let logger: Logger
    /// Most events one position may have (``ImportLimits/maxEventsPerPosition``).
    let maxEventsPerPosition: Int
    private var open: [String: OpenPosition] = [:]
    /// The account balance after the last close (or at the start); nil until an event says it.
    private(set) var balance: Decimal?
    /// The balance before any trade: the equity of the first event seen with nothing open.
    private(set) var startingBalance: Decimal?

    init(file: String, logger: Logger, maxEventsPerPosition: Int = ImportLimits.defaults.maxEventsPerPosition) {
        self.file = file
        self.logger = logger
        self.maxEventsPerPosition = maxEventsPerPosition
    }

    /// The number of positions open now.
    var openCount: Int { open.count }

    /// Applies one event; returns the trade when the event closes its position completely.
    /// `index` (the element's position in the array) and `line` locate the event for errors.
    mutating func apply(_ event: PositionEvent, index: Int, line: Int) throws -> Trade? {
        let kind = Self.kind(of: event.name)
        if balance == nil, open.isEmpty, let equity = event.equity ?? event.balance {
            balance = equity
            startingBalance = equity
        }
        guard let positionId = event.positionId else { return nil }
        if kind.opensPosition {
            if open[positionId] != nil {
                logger.warning(
                    "position opened twice; keeping the first opening",
                    metadata: ["import.file": "\(file)", "import.position": "\(positionId)", "import.path": "[\(index)]"]
                )
                return nil
            }
            var position = OpenPosition(
                positionId: positionId, direction: event.direction, openTime: event.time,
                entryPrice: event.entryPrice, volume: event.volume, quantity: event.quantity,
                remainingVolume: event.volume
            )
            position.observe(stopLoss: event.stopLoss, takeProfit: event.takeProfit)
            open[positionId] = position
            return nil
        }
        guard var position = open.removeValue(forKey: positionId) else {
            if kind.closesPosition {
                logger.warning(
                    "close of a position never opened in the file; no trade",
                    metadata: ["import.file": "\(file)", "import.position": "\(positionId)", "import.path": "[\(index)]"]
                )
            }
            return nil
        }
        position.eventCount += 1
        if position.eventCount > maxEventsPerPosition {
            throw PipsightError(
                .limitExceeded,
                "position \(positionId) has more than \(maxEventsPerPosition) events (limit "
                    + "\(ImportLimits.variable(for: \.maxEventsPerPosition)))",
                location: ErrorLocation(file: file, line: line, path: "[\(index)]"))
        }
        position.observe(stopLoss: event.stopLoss, takeProfit: event.takeProfit)
        if position.direction == nil { position.direction = event.direction }
        if position.entryPrice == nil { position.entryPrice = event.entryPrice }

        guard kind.closesPosition else {
            open[positionId] = position
            return nil
        }
        if event.time < position.openTime {
            throw PipsightError(
                .invalidValue, "position \(positionId) closes before it opens",
                location: ErrorLocation(file: file, line: line, path: "[\(index)].time", field: "time")
            )
        }
        var netProfit: Decimal?
        if let after = event.balance {
            if let before = balance { netProfit = ExactSum.difference(after, before) }
            balance = after
        }
        position.deals.append(
            Deal(
                dealId: String(event.serial), closeTime: event.time, closePrice: event.closePrice,
                volume: event.volume, quantity: event.quantity, grossProfit: event.grossProfit,
                netProfit: netProfit, pips: event.pips, balance: event.balance
            )
        )
        if let closed = event.volume, let remaining = position.remainingVolume, closed < remaining {
            position.remainingVolume = ExactSum.difference(remaining, closed)
            open[positionId] = position
            return nil
        }
        guard let direction = position.direction else {
            throw PipsightError(
                .missingField, "position \(positionId) has no direction: no event of it gives \"type\"",
                location: ErrorLocation(file: file, line: line, path: "[\(index)].type", field: "type")
            )
        }
        var trade = Trade(
            positionId: positionId, direction: direction, openTime: position.openTime, closeTime: event.time,
            entryPrice: position.entryPrice, volume: position.volume, quantity: position.quantity,
            initialStopLoss: position.initialStopLoss, initialTakeProfit: position.initialTakeProfit,
            finalStopLoss: position.finalStopLoss, finalTakeProfit: position.finalTakeProfit,
            closeReason: Self.closeReason(kind)
        )
        ClosingDeals.apply(position.deals, to: &trade, summingVolume: false)
        if trade.volume == nil { trade.volume = ClosingDeals.sum(position.deals, \.volume) }
        if trade.quantity == nil { trade.quantity = ClosingDeals.sum(position.deals, \.quantity) }
        return trade
    }

    /// Logs the positions left open at the end of the file (they are not trades).
    func finish() {
        guard !open.isEmpty else { return }
        let ids = open.keys.sorted().prefix(20).joined(separator: ", ")
        logger.debug(
            "positions never closed; not emitted as trades",
            metadata: ["import.file": "\(file)", "import.open_positions": "\(open.count)", "import.position_ids": "\(ids)"]
        )
    }

    /// `PositionEventKind(name:)` with a fast path for the names cTrader writes (it lowercases, which
    /// allocates for every event).
    static func kind(of name: String) -> PositionEventKind {
        switch name {
        case "Position Modified (S/L)", "Position Modified (T/P)", "Position Modified": return .positionModified
        case "Create Position": return .createPosition
        case "Stop Loss Hit": return .stopLossHit
        case "Take Profit Hit": return .takeProfitHit
        case "Position closed", "Position Closed": return .positionClosed
        case "Stop Order Filled": return .stopOrderFilled
        default: return PositionEventKind(name: name)
        }
    }

    private static func closeReason(_ kind: PositionEventKind) -> CloseReason {
        switch kind {
        case .stopLossHit: return .stopLoss
        case .takeProfitHit: return .takeProfit
        case .positionClosed: return .manual
        default: return .unknown
        }
    }
}
