import Foundation
import PipsightCore

/// Statistics, breakdowns and the balance reconciliation of `TradeColumns`, in one pass over the trades in
/// close order plus a merge of the balance changes and a pass over the open times. Same definitions and
/// figures as `TradeAnalytics` and the SQL version (docs/analytics.md): money is summed as exact integers
/// (`Int128`) and turned into `Decimal` once per figure; ratios come from those `Decimal`s as before.
public struct ColumnarStatistics: Sendable {
    /// An exported balance that differs from the starting balance plus the running net profit.
    public struct BalanceDifference: Sendable, Hashable {
        /// The trade's stored order.
        public var seq: Int
        public var reported: Double
        public var computed: Double
    }

    /// Everything `pipsight stats` shows, except the equity drawdown (read from the stored events).
    public struct Result: Sendable {
        public var statistics: BacktestStatistics
        public var breakdowns: [BreakdownDimension: [BreakdownRow]]
        /// Exported balances checked; nil without a starting balance.
        public var balancesChecked: Int?
        public var balancesDiffering = 0
        /// The first `listedDifferences` differing balances, in close order.
        public var balanceDifferences: [BalanceDifference] = []
    }

    /// How many differing balances are listed.
    public static let listedDifferences = 100

    /// The figures of `columns`. `startingCapital`: the export's own; without it the first closed trade's
    /// balance less its net profit. Nil when the capital cannot be held at a scale the columns allow.
    public static func compute(
        _ input: TradeColumns, startingCapital: Decimal?, breakdowns dimensions: [BreakdownDimension],
        timeZone: TimeZone
    ) -> Result? {
        var columns = input
        var capitalUnits: Int64?
        if let startingCapital {
            guard let capital = ScaledAmount(startingCapital) else { return nil }
            if capital.scale > columns.moneyScale {
                guard let wider = columns.rescaled(to: capital.scale) else { return nil }
                columns = wider
            }
            guard let units = capital.at(scale: columns.moneyScale) else { return nil }
            capitalUnits = units
        }
        let order = CloseOrder(columns)
        var start: Int128? = capitalUnits.map { Int128($0) }
        if start == nil, let first = order.first, columns.flags[first] & TradeColumns.Flag.hasBalance != 0 {
            start = Int128(columns.balance[first]) - Int128(columns.net[first])
        }
        var pass = OrderedPass(columns: columns, start: start, dimensions: dimensions, timeZone: timeZone)
        order.forEach { pass.add($0) }

        let scale = columns.moneyScale
        var statistics = BacktestStatistics(
            all: pass.all.statistics(scale: scale), long: pass.long.statistics(scale: scale),
            short: pass.short.statistics(scale: scale))
        let startingBalance = start.map { ScaledAmount.decimal($0, scale: scale) }
        statistics.startingBalance = startingBalance
        statistics.endingBalance = startingBalance.map { $0 + statistics.all.netProfit }

        let drawdown = BalancePath.maxDrawdown(columns: columns, order: order, start: start)
        statistics.maxBalanceDrawdown = ScaledAmount.decimal(drawdown.fall, scale: scale)
        if start != nil, drawdown.peak > 0, drawdown.fall > 0 {
            statistics.maxBalanceDrawdownPercent = Money.double(statistics.maxBalanceDrawdown)
                / Money.double(ScaledAmount.decimal(drawdown.peak, scale: scale)) * 100
        }
        if drawdown.fall > 0 {
            statistics.recoveryFactor = Money.double(statistics.all.netProfit) / Money.double(statistics.maxBalanceDrawdown)
        }

        let daily = pass.dailyReturns(scale: scale)
        statistics.dayCount = daily.days
        if let returns = daily.returns {
            statistics.sharpeRatio = DailyReturns.sharpe(returns)
            statistics.sortinoRatio = DailyReturns.sortino(returns)
        }

        if columns.count > 0 {
            let exposureMillis = Exposure.unionMillis(columns)
            statistics.exposureSeconds = Double(exposureMillis) / 1000
            let firstOpen = columns.openMillis.min() ?? 0
            let lastClose = columns.closeMillis.max() ?? 0
            statistics.firstOpenTime = Self.date(millis: firstOpen)
            statistics.lastCloseTime = Self.date(millis: lastClose)
            if lastClose > firstOpen {
                statistics.exposureFraction = statistics.exposureSeconds / (Double(lastClose - firstOpen) / 1000)
            }
        }

        var result = Result(statistics: statistics, breakdowns: pass.breakdownRows(scale: scale))
        if start != nil {
            result.balancesChecked = pass.balancesChecked
            result.balancesDiffering = pass.balancesDiffering
            result.balanceDifferences = pass.differences.map {
                BalanceDifference(
                    seq: $0.seq, reported: ScaledAmount.double(Int128($0.reported), scale: scale),
                    computed: ScaledAmount.double($0.computed, scale: scale))
            }
        }
        return result
    }

    /// The `Date` PostgreSQL's driver gives for a timestamp of `millis` (microseconds after 2000-01-01), so
    /// first open and last close are the same values as from SQL.
    static func date(millis: Int64) -> Date {
        let microsecondsSince2000 = (millis - 946_684_800_000) * 1000
        return Date(timeInterval: Double(microsecondsSince2000) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }
}

/// Trades in close order (close time, then stored order): the stored order itself when it already is.
struct CloseOrder {
    private let permutation: [Int32]?
    let count: Int

    init(_ columns: TradeColumns) {
        count = columns.count
        let close = columns.closeMillis
        var sorted = true
        if count > 1 {
            for index in 1..<count where close[index] < close[index - 1] {
                sorted = false
                break
            }
        }
        if sorted {
            permutation = nil
        } else {
            var indices = (0..<Int32(count)).map { $0 }
            indices.sort { (close[Int($0)], $0) < (close[Int($1)], $1) }
            permutation = indices
        }
    }

    var first: Int? { count > 0 ? self[0] : nil }

    subscript(position: Int) -> Int { permutation.map { Int($0[position]) } ?? position }

    func forEach(_ body: (Int) -> Void) {
        if let permutation {
            for index in permutation { body(Int(index)) }
        } else {
            for index in 0..<count { body(index) }
        }
    }
}
