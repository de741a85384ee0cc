import Foundation
import PipsightCore

/// A backtest's closed trades reduced to what the statistics and breakdowns read, one array per column,
/// in stored order (`seq`). Money is exact: integers of 10^-`moneyScale` units, one scale for every money
/// column. Built at ingest (`TradeColumnsBuilder`) and kept with the backtest, so the statistics of a
/// million trades are one pass over a few flat arrays instead of several passes over the trade rows.
public struct TradeColumns: Sendable, Equatable {
    /// Open and close time, milliseconds since 1970 (the precision PostgreSQL stores them with).
    public var openMillis: [Int64] = []
    public var closeMillis: [Int64] = []
    /// Net profit (0 when the export has none), commissions, swaps, exported balance (0 when absent; see `flags`).
    public var net: [Int64] = []
    public var commissions: [Int64] = []
    public var swaps: [Int64] = []
    public var balance: [Int64] = []
    /// `Flag` bits and the close reason (`reasonShift`).
    public var flags: [UInt8] = []
    /// Index into `symbols`.
    public var symbol: [UInt32] = []
    /// The distinct symbols (nil: the trade has none).
    public var symbols: [String?] = []
    /// Closing deals of partially closed trades (a trade with one deal has none here).
    public var deals: [Deal] = []
    /// Decimals of every money value.
    public var moneyScale = 0

    /// One closing deal of a partial close.
    public struct Deal: Sendable, Equatable {
        public var tradeSeq: Int32
        public var index: Int32
        public var closeMillis: Int64
        public var net: Int64

        public init(tradeSeq: Int32, index: Int32, closeMillis: Int64, net: Int64) {
            self.tradeSeq = tradeSeq
            self.index = index
            self.closeMillis = closeMillis
            self.net = net
        }
    }

    /// Bits of `flags`.
    public enum Flag {
        public static let buy: UInt8 = 1
        public static let hasBalance: UInt8 = 2
        public static let partial: UInt8 = 4
        /// The close reason's index in `reasons` sits from this bit.
        public static let reasonShift: UInt8 = 4
    }

    /// Close reasons by their index in `flags`.
    public static let reasons: [CloseReason] = [.stopLoss, .takeProfit, .manual, .unknown]

    public init() {}

    public var count: Int { net.count }

    /// The same columns with every money value at `scale` (≥ `moneyScale`); nil on overflow.
    public func rescaled(to scale: Int) -> TradeColumns? {
        guard scale >= moneyScale else { return nil }
        guard scale > moneyScale else { return self }
        let factor = ScaledAmount.powerOfTen(scale - moneyScale)
        func times(_ values: [Int64]) -> [Int64]? {
            var result: [Int64] = []
            result.reserveCapacity(values.count)
            for value in values {
                let (product, overflow) = value.multipliedReportingOverflow(by: factor)
                if overflow { return nil }
                result.append(product)
            }
            return result
        }
        var copy = self
        guard let net = times(net), let commissions = times(commissions), let swaps = times(swaps),
              let balance = times(balance), let dealNet = times(deals.map(\.net))
        else { return nil }
        copy.net = net
        copy.commissions = commissions
        copy.swaps = swaps
        copy.balance = balance
        for index in copy.deals.indices { copy.deals[index].net = dealNet[index] }
        copy.moneyScale = scale
        return copy
    }
}
