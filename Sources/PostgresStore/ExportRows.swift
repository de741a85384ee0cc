import Analytics
import Foundation
import NIOCore
import PipsightCore

/// The rows of one export, encoded for COPY as the parser emits them (text rows are far smaller than
/// the parsed structs, so a 1M-trade file stays well under the memory budget).
struct ExportRows {
    var trades = CopyTextWriter()
    var deals = CopyTextWriter()
    var events = CopyTextWriter()
    var parameters = CopyTextWriter()
    var passes = CopyTextWriter()
    /// The trades' statistics columns, built from the same values as the COPY text, a chunk at a time.
    var columns = TradeColumnsBuilder()
    /// The finished chunks of `columns` (`trade_columns` rows), encoded, until they are inserted.
    let columnChunks: ChunkSpill
    /// The finished COPY chunks of every table, parallel to `tables`, for the tables that do not stream: they
    /// are stored after the streamed one.
    let heldChunks: [ChunkSpill]
    /// Trades per `trade_columns` chunk.
    let columnsChunkSize: Int
    let backtestID: String

    /// Trades per `trade_columns` row: about 3.5 MB of columns each.
    static let defaultColumnsChunkSize = 65_536

    /// `memoryLimit`: bytes of each spill kept in memory before the rest go to a temporary file.
    init(backtestID: UUID, columnsChunkSize: Int = defaultColumnsChunkSize, memoryLimit: Int = ChunkSpill.defaultMemoryLimit) {
        self.backtestID = backtestID.uuidString.lowercased()
        self.columnsChunkSize = max(1, columnsChunkSize)
        columnChunks = ChunkSpill(memoryLimit: memoryLimit)
        heldChunks = Self.tables.map { _ in ChunkSpill(memoryLimit: memoryLimit) }
    }

    /// Moves the columns built so far into `columnChunks` once they fill a chunk, or whatever is left when
    /// `final`. Drops every chunk once the columns are abandoned (a value that cannot be kept exactly).
    mutating func cutColumnChunk(final: Bool = false) throws {
        if columns.isAbandoned {
            if !columnChunks.chunks.isEmpty { columnChunks.removeAll() }
            return
        }
        // A backtest without trades still stores one (empty) chunk: its statistics come from the columns too.
        let due = columns.pendingCount >= columnsChunkSize
            || (final && (columns.pendingCount > 0 || columnChunks.chunks.isEmpty))
        guard due else { return }
        guard let chunk = columns.takeChunk() else { return }
        try columnChunks.append(chunk.encoded(), rows: chunk.count)
    }

    /// Moves the finished COPY chunks of every table but `streamed` into `heldChunks` (all of them when
    /// `final`), so that what waits for the streamed table's COPY to end is not held in memory.
    mutating func holdChunks(except streamed: any WritableKeyPath<ExportRows, CopyTextWriter> & Sendable, final: Bool = false) throws {
        for (index, table) in Self.tables.enumerated() where table != streamed {
            let chunks = final ? self[keyPath: table].takeAllChunks() : self[keyPath: table].takeFinishedChunks()
            for chunk in chunks where chunk.readableBytes > 0 { try heldChunks[index].append(chunk) }
        }
    }

    /// The stored columns: nil when they were abandoned.
    var hasColumns: Bool { !columns.isAbandoned }

    static let tradeColumns = [
        "backtest_id", "seq", "position_id", "symbol", "label", "direction", "open_time", "close_time",
        "entry_price", "close_price", "volume", "quantity", "gross_profit", "net_profit", "commissions", "swaps",
        "pips", "balance", "initial_stop_loss", "initial_take_profit", "final_stop_loss", "final_take_profit",
        "close_reason", "deal_count", "extra",
    ]
    static let dealColumns = [
        "backtest_id", "trade_seq", "seq", "deal_id", "close_time", "close_price", "volume", "quantity",
        "gross_profit", "net_profit", "commissions", "swaps", "pips", "balance",
    ]
    static let eventColumns = [
        "backtest_id", "seq", "serial", "position_id", "order_id", "name", "time", "volume", "quantity",
        "direction", "entry_price", "take_profit", "stop_loss", "close_price", "gross_profit", "pips", "balance",
        "equity", "extra",
    ]
    static let parameterColumns = [
        "backtest_id", "seq", "name", "value", "optimize", "min", "max", "step", "value_list", "friendly_name",
        "group_name", "extra",
    ]
    static let passColumns = [
        "backtest_id", "seq", "pass_id", "status", "equity", "net_profit", "trades", "winning_trades",
        "profit_factor", "average_trade", "max_equity_drawdown_absolute", "max_equity_drawdown_fraction",
        "parameters", "raw",
    ]

    /// Every table, in the order they are stored.
    static let tables: [any WritableKeyPath<ExportRows, CopyTextWriter> & Sendable] = [
        \ExportRows.trades, \ExportRows.deals, \ExportRows.events, \ExportRows.parameters, \ExportRows.passes,
    ]

    /// The table name and COPY columns of one writer.
    static func table(_ keyPath: WritableKeyPath<ExportRows, CopyTextWriter>) -> (String, [String]) {
        switch keyPath {
        case \ExportRows.trades: ("trades", tradeColumns)
        case \ExportRows.deals: ("deals", dealColumns)
        case \ExportRows.events: ("events", eventColumns)
        case \ExportRows.parameters: ("parameters", parameterColumns)
        default: ("optimisation_passes", passColumns)
        }
    }

    mutating func append(_ record: ImportRecord) {
        switch record {
        case .trade(let trade): append(trade)
        case .event(let event): append(event)
        case .parameter(let parameter): append(parameter)
        case .pass(let pass): append(pass)
        }
    }

    private mutating func append(_ trade: Trade) {
        let seq = trades.rowCount
        trades.text(backtestID)
        trades.integer(seq)
        trades.text(trade.positionId)
        trades.text(trade.symbol)
        trades.text(trade.label)
        trades.text(trade.direction.rawValue)
        trades.timestamp(trade.openTime)
        trades.timestamp(trade.closeTime)
        trades.decimal(trade.entryPrice)
        trades.decimal(trade.closePrice)
        trades.decimal(trade.volume)
        trades.decimal(trade.quantity)
        trades.decimal(trade.grossProfit)
        let net = trades.amount(trade.netProfit)
        let commissions = trades.amount(trade.commissions)
        let swaps = trades.amount(trade.swaps)
        trades.decimal(trade.pips)
        let balance = trades.amount(trade.balance)
        trades.decimal(trade.initialStopLoss)
        trades.decimal(trade.initialTakeProfit)
        trades.decimal(trade.finalStopLoss)
        trades.decimal(trade.finalTakeProfit)
        trades.text(trade.closeReason.rawValue)
        trades.integer(max(trade.deals.count, 1))
        trades.json(trade.extra)
        trades.endRow()
        var dealAmounts: [(closeMillis: Int64, net: StoredAmount)] = []
        defer {
            appendColumns(trade, net: net, commissions: commissions, swaps: swaps, balance: balance, deals: dealAmounts)
        }
        // Deals are stored for partial closes only: a single deal repeats the trade's own columns.
        guard trade.deals.count > 1 else { return }
        dealAmounts.reserveCapacity(trade.deals.count)
        for (index, deal) in trade.deals.enumerated() {
            deals.text(backtestID)
            deals.integer(seq)
            deals.integer(index)
            deals.text(deal.dealId)
            deals.timestamp(deal.closeTime)
            deals.decimal(deal.closePrice)
            deals.decimal(deal.volume)
            deals.decimal(deal.quantity)
            deals.decimal(deal.grossProfit)
            dealAmounts.append((TradeColumnsBuilder.millis(deal.closeTime), deals.amount(deal.netProfit)))
            deals.decimal(deal.commissions)
            deals.decimal(deal.swaps)
            deals.decimal(deal.pips)
            deals.decimal(deal.balance)
            deals.endRow()
        }
    }

    private mutating func appendColumns(
        _ trade: Trade, net: StoredAmount, commissions: StoredAmount, swaps: StoredAmount, balance: StoredAmount,
        deals: [(closeMillis: Int64, net: StoredAmount)]
    ) {
        func exact(_ amount: StoredAmount) -> ScaledAmount?? {
            switch amount {
            case .absent: return .some(nil)
            case .exact(let value): return .some(value)
            case .inexact: return nil
            }
        }
        var dealNets: [(closeMillis: Int64, net: ScaledAmount?)] = []
        for deal in deals {
            guard let dealNet = exact(deal.net) else { return columns.abandon() }
            dealNets.append((deal.closeMillis, dealNet))
        }
        guard let net = exact(net), let commissions = exact(commissions), let swaps = exact(swaps),
              let balance = exact(balance)
        else { return columns.abandon() }
        columns.append(
            openMillis: TradeColumnsBuilder.millis(trade.openTime), closeMillis: TradeColumnsBuilder.millis(trade.closeTime),
            direction: trade.direction, closeReason: trade.closeReason, symbol: trade.symbol, net: net,
            commissions: commissions, swaps: swaps, balance: balance, deals: dealNets)
    }

    private mutating func append(_ event: PositionEvent) {
        events.text(backtestID)
        events.integer(events.rowCount)
        events.integer(event.serial)
        events.text(event.positionId)
        events.text(event.orderId)
        events.text(event.name)
        events.timestamp(event.time)
        events.decimal(event.volume)
        events.decimal(event.quantity)
        events.text(event.direction?.rawValue)
        events.decimal(event.entryPrice)
        events.decimal(event.takeProfit)
        events.decimal(event.stopLoss)
        events.decimal(event.closePrice)
        events.decimal(event.grossProfit)
        events.decimal(event.pips)
        events.decimal(event.balance)
        events.decimal(event.equity)
        events.json(event.extra)
        events.endRow()
    }

    private mutating func append(_ parameter: Parameter) {
        parameters.text(backtestID)
        parameters.integer(parameters.rowCount)
        parameters.text(parameter.name)
        parameters.text(parameter.value)
        parameters.bool(parameter.optimize)
        parameters.text(parameter.min)
        parameters.text(parameter.max)
        parameters.text(parameter.step)
        if let values = parameter.values {
            parameters.json(JSONValue.array(values.map { .string($0) }))
        } else {
            parameters.null()
        }
        parameters.text(parameter.friendlyName)
        parameters.text(parameter.groupName)
        parameters.json(parameter.extra)
        parameters.endRow()
    }

    private mutating func append(_ pass: OptimisationPass) {
        passes.text(backtestID)
        passes.integer(passes.rowCount)
        passes.integer(pass.passId)
        passes.text(pass.status)
        passes.decimal(pass.equity)
        passes.decimal(pass.netProfit)
        passes.integer(pass.trades)
        passes.integer(pass.winningTrades)
        passes.double(pass.profitFactor)
        passes.decimal(pass.averageTrade)
        passes.decimal(pass.maxEquityDrawdownAbsolute)
        passes.double(pass.maxEquityDrawdownFraction)
        passes.json(pass.parameters.mapValues { JSONValue.string($0) })
        passes.json(pass.raw)
        passes.endRow()
    }
}
