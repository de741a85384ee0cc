import Foundation
import PipsightCore

/// Builds `TradeColumns` one trade at a time, in stored order. Every money value comes as an exact
/// `ScaledAmount`; when one has more decimals than those before, the columns so far are rescaled (at most
/// `ScaledAmount.maxScale` times). A value that cannot be kept exactly (too many decimals, overflow) makes
/// the result nil: the statistics are then computed from the stored rows instead.
///
/// A large backtest is built in chunks: `takeChunk()` hands over the trades appended since the last call
/// (each chunk with its own money scale and symbols; deals keep their trade's position in the whole
/// backtest), so the ingest never holds more than one chunk of columns.
public struct TradeColumnsBuilder: Sendable {
    private var columns = TradeColumns()
    /// The position in the whole backtest of the first trade in `columns`.
    private var firstSeq = 0
    private var symbolIndex: [String: UInt32] = [:]
    private var noSymbolIndex: UInt32?
    private var lastSymbol: (name: String?, index: UInt32)?
    private var failed = false

    public init() {}

    /// The columns, or nil when a value could not be kept exactly.
    public var result: TradeColumns? { failed ? nil : columns }

    /// True once a value could not be kept exactly: no columns will be stored, chunks taken before included.
    public var isAbandoned: Bool { failed }

    /// Trades appended since the last `takeChunk()`.
    public var pendingCount: Int { columns.count }

    /// The trades appended since the last call, as one chunk (nil once abandoned), and a fresh start for the
    /// next chunk: its own money scale and symbols, deals numbered on from this chunk's trades.
    public mutating func takeChunk() -> TradeColumns? {
        guard !failed else { return nil }
        let chunk = columns
        firstSeq += columns.count
        columns = TradeColumns()
        symbolIndex = [:]
        noSymbolIndex = nil
        lastSymbol = nil
        return chunk
    }

    /// Adds a trade: amounts already scaled (the ingest gets them while writing the COPY text), nil when absent.
    /// `deals` are the closing deals of a partial close (empty for a trade closed in one deal).
    public mutating func append(
        openMillis: Int64, closeMillis: Int64, direction: TradeDirection, closeReason: CloseReason, symbol: String?,
        net: ScaledAmount?, commissions: ScaledAmount?, swaps: ScaledAmount?, balance: ScaledAmount?,
        deals: [(closeMillis: Int64, net: ScaledAmount?)]
    ) {
        guard !failed else { return }
        let seq = Int32(truncatingIfNeeded: firstSeq + columns.count)
        for amount in [net, commissions, swaps, balance] + deals.map(\.net) {
            if let amount, amount.scale > columns.moneyScale {
                guard let wider = columns.rescaled(to: amount.scale) else { return fail() }
                columns = wider
            }
        }
        let scale = columns.moneyScale
        func units(_ amount: ScaledAmount?) -> Int64? {
            guard let amount else { return 0 }
            return amount.at(scale: scale)
        }
        guard let netUnits = units(net), let commissionUnits = units(commissions), let swapUnits = units(swaps),
              let balanceUnits = units(balance)
        else { return fail() }
        var flags: UInt8 = direction == .buy ? TradeColumns.Flag.buy : 0
        if balance != nil { flags |= TradeColumns.Flag.hasBalance }
        if deals.count > 1 { flags |= TradeColumns.Flag.partial }
        let reason = TradeColumns.reasons.firstIndex(of: closeReason) ?? TradeColumns.reasons.count - 1
        flags |= UInt8(reason) << TradeColumns.Flag.reasonShift
        if deals.count > 1 {
            for (index, deal) in deals.enumerated() {
                guard let dealUnits = units(deal.net) else { return fail() }
                columns.deals.append(TradeColumns.Deal(
                    tradeSeq: seq, index: Int32(index), closeMillis: deal.closeMillis, net: dealUnits))
            }
        }
        columns.openMillis.append(openMillis)
        columns.closeMillis.append(closeMillis)
        columns.net.append(netUnits)
        columns.commissions.append(commissionUnits)
        columns.swaps.append(swapUnits)
        columns.balance.append(balanceUnits)
        columns.flags.append(flags)
        columns.symbol.append(index(of: symbol))
    }

    /// Adds a trade from its parsed form (in-memory use and tests; the ingest passes scaled amounts).
    public mutating func append(_ trade: Trade) {
        func scaled(_ value: Decimal?) -> ScaledAmount?? {
            guard let value else { return .some(nil) }
            guard let amount = ScaledAmount(value) else { return nil }
            return .some(amount)
        }
        guard let net = scaled(trade.netProfit), let commissions = scaled(trade.commissions),
              let swaps = scaled(trade.swaps), let balance = scaled(trade.balance)
        else { return fail() }
        var deals: [(closeMillis: Int64, net: ScaledAmount?)] = []
        if trade.deals.count > 1 {
            for deal in trade.deals {
                guard let dealNet = scaled(deal.netProfit) else { return fail() }
                deals.append((Self.millis(deal.closeTime), dealNet))
            }
        }
        append(
            openMillis: Self.millis(trade.openTime), closeMillis: Self.millis(trade.closeTime),
            direction: trade.direction, closeReason: trade.closeReason, symbol: trade.symbol, net: net,
            commissions: commissions, swaps: swaps, balance: balance, deals: deals)
    }

    /// Milliseconds since 1970, rounded as PostgreSQL receives them (`TimestampText`).
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private mutating func index(of symbol: String?) -> UInt32 {
        if let last = lastSymbol, last.name == symbol { return last.index }
        let found: UInt32
        if let symbol {
            if let known = symbolIndex[symbol] {
                found = known
            } else {
                found = UInt32(columns.symbols.count)
                columns.symbols.append(symbol)
                symbolIndex[symbol] = found
            }
        } else if let known = noSymbolIndex {
            found = known
        } else {
            found = UInt32(columns.symbols.count)
            columns.symbols.append(nil)
            noSymbolIndex = found
        }
        lastSymbol = (symbol, found)
        return found
    }

    /// Gives up: a value could not be kept exactly, so there will be no columns.
    public mutating func abandon() {
        fail()
    }

    private mutating func fail() {
        failed = true
        columns = TradeColumns()
    }
}

extension TradeColumns {
    /// Columns of trades held in memory, in the given order; nil when a money value cannot be kept exactly.
    public init?(trades: [Trade]) {
        var builder = TradeColumnsBuilder()
        for trade in trades { builder.append(trade) }
        guard let built = builder.result else { return nil }
        self = built
    }
}
