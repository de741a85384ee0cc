import Foundation
import PipsightCore

/// Generates a realistic, reproducible cTrader backtest and writes it in every export format Pipsight reads.
///
/// The same seed gives the same trades and the same bytes on every platform (`SplitMix64`, integer
/// arithmetic: prices in points, money in cents). Trades are generated lazily, one at a time, so even a
/// 1,000,000-trade CSV or events.json is written in bounded memory (`write(_:options:to:)`).
///
/// What is generated, per position (positions never overlap; ids count from 1):
/// - open times on weekdays (Sunday from 21:00 UTC), 10 minutes to 16 hours after the previous close,
///   any hour; most positions last 5 minutes to 8 hours, one in five up to two days (closes that would
///   fall on a weekend move to Monday morning); above 2,738 positions the gaps and holding times shrink in
///   proportion, so that any sample (1M positions too) spans about five years of trading and its times stay plausible;
/// - buy or sell at random; 1,000 to 100,000 units (0.01 to 1 lot); the entry price walks around a base
///   (1.10000 for most symbols, 150.000 for `…JPY`, 2000.00 for `XAU…`) within ±10 %;
/// - a stop loss 10 to 40 pips away, a take profit 1 to 2 times as far (one position in ten has none);
/// - one position in four tightens its stop 1 to 3 times (to 80 %, 60 %, 40 % of the distance);
/// - one in seven (of at least 2,000 units) closes half its volume early: a partial close, a second deal;
/// - close reasons: take profit, stop loss, or manual (about one in eight);
/// - commission 0.06 per 1,000 units per deal (about 30 USD per million per side), swap at each 22:00 UTC
///   rollover (buy −0.07, sell +0.02 per 10,000 units); profit is computed as if the quote currency were
///   the account currency.
///
/// **Ground truth pattern** (what the analytics should discover): a position wins with probability 0.50,
/// but only 0.30 when opened on a Friday (UTC), 0.22 when opened between 21:00 and 23:59 UTC, and 0.15
/// when both. With take profits 1–2× the stop distance, Monday–Thursday before 21:00 are profitable on
/// average while Fridays and the 21–23 h UTC hours lose.
public struct SampleGenerator: Sendable {
    public var seed: UInt64
    /// Number of positions.
    public var tradeCount: Int
    public var symbol: String
    /// Account currency (`USD`).
    public var depositAsset: String
    /// Starting balance in whole units of the account currency.
    public var startingCapital: Int
    /// The first position opens after this time (default 2024-01-01 00:00 UTC, a Monday).
    public var start: Date
    /// Price digits of the symbol (5 for EURUSD, 3 for JPY pairs, 2 for XAU).
    public var digits: Int
    /// The cBot label written on every trade.
    public var label: String
    /// The cBot name written in reports.
    public var cBotName: String

    /// Creates a generator; nothing is generated until trades are read or written.
    public init(
        seed: UInt64, trades: Int, symbol: String = "EURUSD", depositAsset: String = "USD",
        startingCapital: Int = 10_000, start: Date = Date(timeIntervalSince1970: 1_704_067_200),
        label: String = "PipsightSample", cBotName: String = "Sample Trend cBot"
    ) {
        self.seed = seed
        self.tradeCount = max(0, trades)
        self.symbol = symbol
        self.depositAsset = depositAsset
        self.startingCapital = startingCapital
        self.start = start
        let upper = symbol.uppercased()
        self.digits = upper.hasSuffix("JPY") ? 3 : upper.hasPrefix("XAU") ? 2 : 5
        self.label = label
        self.cBotName = cBotName
    }

    /// The generated positions, lazily.
    public var trades: SampleTradeSequence { SampleTradeSequence(generator: self) }

    /// The generated positions as Pipsight `Trade`s (for small samples).
    public func pipsightTrades() -> [Trade] {
        trades.map { $0.trade(symbol: symbol, digits: digits, label: label) }
    }

    /// Totals computed from the generated trades (one generation pass, nothing kept).
    public var groundTruth: GroundTruth {
        var statistics = SampleStatistics(startingCapitalCents: startingCapitalCents)
        for trade in trades { statistics.add(trade) }
        return statistics.groundTruth
    }

    var startingCapitalCents: Int64 { Int64(startingCapital) * 100 }

    var pointsPerUnit: Int64 {
        var value: Int64 = 1
        for _ in 0..<digits { value *= 10 }
        return value
    }

    var basePricePoints: Int64 {
        switch digits {
        case 3: return 150_000
        case 2: return 200_000
        default: return 110_000
        }
    }

    /// Options of the writers.
    public struct WriteOptions: Sendable, Hashable {
        /// History CSV dialect.
        public var csv: HistoryCSVOptions
        /// `.cbotset` as XML or JSON.
        public var cbotset: CBotSetStyle
        /// Passes in an `.optres`.
        public var optimisationPasses: Int
        /// Equity points in report.json (`equity.points`): one per closed position when true.
        public var equityPoints: Bool

        public init(
            csv: HistoryCSVOptions = HistoryCSVOptions(), cbotset: CBotSetStyle = .xml, optimisationPasses: Int = 12,
            equityPoints: Bool = true
        ) {
            self.csv = csv
            self.cbotset = cbotset
            self.optimisationPasses = optimisationPasses
            self.equityPoints = equityPoints
        }
    }

    /// The export as bytes (in memory: use `write(_:options:to:)` for large samples).
    public func write(_ format: ExportFormat, options: WriteOptions = WriteOptions()) -> Data {
        let sink = OutputSink(memoryEncoding: format == .historyCSV ? options.csv.encoding : .utf8)
        write(format, options: options, into: sink)
        return sink.data
    }

    /// Writes the export to `url` in chunks through a `FileHandle`, in bounded memory.
    public func write(_ format: ExportFormat, options: WriteOptions = WriteOptions(), to url: URL) throws {
        let sink = try OutputSink(url: url, encoding: format == .historyCSV ? options.csv.encoding : .utf8)
        write(format, options: options, into: sink)
        try sink.finish()
    }

    private func write(_ format: ExportFormat, options: WriteOptions, into sink: OutputSink) {
        switch format {
        case .reportJSON: writeReportJSON(into: sink, options: options)
        case .reportHTML: writeReportHTML(into: sink, options: options)
        case .eventsJSON: writeEventsJSON(into: sink)
        case .optres: writeOptres(into: sink, options: options)
        case .historyCSV: writeHistoryCSV(into: sink, options: options.csv)
        case .cbotset: writeCBotSet(into: sink, style: options.cbotset)
        }
    }
}

/// The positions of a `SampleGenerator`, generated one at a time.
public struct SampleTradeSequence: Sequence, Sendable {
    let generator: SampleGenerator

    public func makeIterator() -> SampleTradeIterator { SampleTradeIterator(generator) }
}

/// Generates positions in order from the seeded generator.
public struct SampleTradeIterator: IteratorProtocol, Sendable {
    private var rng: SplitMix64
    private let remainingLimit: Int
    private var produced = 0
    private var cursorSeconds: Int64
    private var pricePoints: Int64
    private var balanceCents: Int64
    private var nextDealId: Int64 = 1_000_001
    private let scale: Int64
    private let base: Int64
    /// Below 1 for large samples: gaps and holding times shrink so that the whole sample stays within about
    /// five years of trading time (times must stay plausible, 2000–2099); 1 (no change) up to 2,738 positions.
    private let density: Double

    init(_ generator: SampleGenerator) {
        rng = SplitMix64(seed: generator.seed)
        remainingLimit = generator.tradeCount
        cursorSeconds = Int64(generator.start.timeIntervalSince1970.rounded(.down))
        base = generator.basePricePoints
        pricePoints = base
        balanceCents = generator.startingCapitalCents
        scale = generator.pointsPerUnit
        density = min(1, Self.positionsInFiveYears / Double(max(1, generator.tradeCount)))
    }

    /// Positions that fit in five years at the natural pace (about 16 hours from one close to the next).
    static let positionsInFiveYears = 5 * 365 * 24 / 16.0

    /// `seconds` scaled by `density` (unchanged at density 1, at least one second otherwise).
    private func dense(_ seconds: Int64) -> Int64 {
        density >= 1 ? seconds : max(1, Int64((Double(seconds) * density).rounded()))
    }

    /// Profit in cents of `move` points on `units` units (exact: units are multiples of 1,000, digits ≤ 5).
    private func grossCents(_ move: Int64, _ units: Int64) -> Int64 {
        move * units * 100 / scale
    }

    /// Moves a time that falls on Saturday, or on Sunday before 21:00 UTC, to Sunday 21:00 + `jitter` s.
    private static func skipWeekend(_ seconds: Int64, jitter: Int64) -> Int64 {
        let weekday = SampleNumber.weekday(seconds: seconds)
        let dayStart = seconds - ((seconds % 86_400) + 86_400) % 86_400
        let secondOfDay = seconds - dayStart
        if weekday == 5 { return dayStart + 86_400 + 21 * 3600 + jitter }
        if weekday == 6, secondOfDay < 21 * 3600 { return dayStart + 21 * 3600 + jitter }
        return seconds
    }

    /// 22:00 UTC rollovers between two times.
    private static func rollovers(from open: Int64, to close: Int64) -> Int64 {
        let shift: Int64 = 22 * 3600
        func day(_ s: Int64) -> Int64 { let v = s - shift; return v >= 0 ? v / 86_400 : (v - 86_399) / 86_400 }
        return max(0, day(close) - day(open))
    }

    public mutating func next() -> SampleTrade? {
        guard produced < remainingLimit else { return nil }
        produced += 1

        // Open time.
        var open = cursorSeconds + dense(600 + Int64(rng.int(below: 16 * 60)) * 60 + Int64(rng.int(below: 60)))
        open = Self.skipWeekend(open, jitter: Int64(rng.int(below: 3 * 3600)))
        let openMs = open * 1000 + Int64(rng.int(below: 1000))
        let weekday = SampleNumber.weekday(seconds: open)
        let hour = Int(((open % 86_400) + 86_400) % 86_400 / 3600)

        // Side, size, prices.
        let direction: TradeDirection = rng.chance(0.5) ? .buy : .sell
        let sign: Int64 = direction == .buy ? 1 : -1
        let units = Int64(1 + rng.int(below: 100)) * 1000
        pricePoints += Int64(rng.int(in: -300...300))
        pricePoints = min(max(pricePoints, base * 9 / 10), base * 11 / 10)
        let entry = pricePoints
        let stopDistance = Int64(10 + rng.int(below: 31)) * 10
        let takeDistance = stopDistance * Int64(10 + rng.int(below: 11)) / 10
        let hasTakeProfit = rng.chance(0.9)
        let modifications = rng.chance(0.25) ? 1 + rng.int(below: 3) : 0
        let finalStopDistance = stopDistance * Int64(10 - 2 * modifications) / 10

        // Outcome: the ground-truth pattern lives here.
        var winProbability = 0.5
        let lateHour = hour >= 21
        if weekday == 4 { winProbability = lateHour ? 0.15 : 0.30 } else if lateHour { winProbability = 0.22 }
        let wins = rng.chance(winProbability)
        let manual = rng.chance(0.12) || (wins && !hasTakeProfit)
        let move: Int64
        let reason: CloseReason
        if wins {
            if manual {
                move = Int64(rng.int(in: 1...Int(hasTakeProfit ? takeDistance - 1 : stopDistance * 2)))
                reason = .manual
            } else {
                move = takeDistance
                reason = .takeProfit
            }
        } else if manual {
            move = -Int64(rng.int(in: 1...Int(finalStopDistance - 1)))
            reason = .manual
        } else {
            move = -finalStopDistance
            reason = .stopLoss
        }

        // Duration.
        let minutes = rng.chance(0.2) ? 60 + rng.int(below: 2880) : 5 + rng.int(below: 480)
        var close = open + dense(Int64(minutes) * 60 + Int64(rng.int(below: 60)))
        let closeWeekday = SampleNumber.weekday(seconds: close)
        if closeWeekday == 5 || closeWeekday == 6 {
            let dayStart = close - ((close % 86_400) + 86_400) % 86_400
            close = dayStart + Int64(7 - closeWeekday) * 86_400 + Int64(5 + rng.int(below: 120)) * 60
        }
        let closeMs = max(close * 1000 + Int64(rng.int(below: 1000)), openMs + 1000)

        // Stop-loss moves, evenly spaced while open.
        var changes: [SampleStopLossChange] = []
        for step in 0..<modifications {
            let k = Int64(step + 1)
            let time = openMs + (closeMs - openMs) * k / Int64(modifications + 1)
            let distance = stopDistance * (10 - 2 * k) / 10
            let mark = entry + sign * (takeDistance * k / Int64(modifications + 2))
            changes.append(SampleStopLossChange(timeMilliseconds: time, stopLossPoints: entry - sign * distance, markPricePoints: mark))
        }

        // Equity excursions.
        let adverse = reason == .stopLoss ? finalStopDistance : Int64(rng.int(in: 0...Int(max(0, finalStopDistance - 1))))
        let favourable = max(move, 0) + Int64(rng.int(below: 50))
        let balanceBefore = balanceCents

        // Deals.
        var deals: [SampleDeal] = []
        var remaining = units
        if units >= 2000, rng.chance(1.0 / 7.0) {
            let partialUnits = units / 2000 * 1000
            let partialTime = openMs + (closeMs - openMs) * Int64(1 + rng.int(below: 2)) / 3
            let reach = max(1, (hasTakeProfit ? takeDistance : stopDistance) / 2)
            let partialMove = rng.chance(0.75)
                ? Int64(rng.int(in: 1...Int(reach))) : -Int64(rng.int(in: 1...Int(max(1, finalStopDistance / 2))))
            deals.append(makeDeal(
                open: open, closeMs: partialTime, entry: entry, sign: sign, move: partialMove, units: partialUnits,
                direction: direction, isFinal: false))
            remaining -= partialUnits
        }
        deals.append(makeDeal(
            open: open, closeMs: closeMs, entry: entry, sign: sign, move: move, units: remaining,
            direction: direction, isFinal: true))

        cursorSeconds = closeMs / 1000
        return SampleTrade(
            positionId: Int64(produced), direction: direction, openTimeMilliseconds: openMs, entryPricePoints: entry,
            units: units, initialStopLossPoints: entry - sign * stopDistance,
            takeProfitPoints: hasTakeProfit ? entry + sign * takeDistance : nil, stopLossChanges: changes,
            deals: deals, closeReason: reason, balanceBeforeCents: balanceBefore,
            minEquityCents: balanceBefore + grossCents(-adverse, units),
            maxEquityCents: balanceBefore + grossCents(favourable, units))
    }

    private mutating func makeDeal(
        open: Int64, closeMs: Int64, entry: Int64, sign: Int64, move: Int64, units: Int64, direction: TradeDirection,
        isFinal: Bool
    ) -> SampleDeal {
        let gross = grossCents(move, units)
        let commission = -(units * 6 / 1000)
        let rate: Int64 = direction == .buy ? -7 : 2
        let swap = Self.rollovers(from: open, to: closeMs / 1000) * units * rate / 10_000
        let net = gross + commission + swap
        balanceCents += net
        defer { nextDealId += 1 }
        return SampleDeal(
            dealId: nextDealId, closeTimeMilliseconds: closeMs, closePricePoints: entry + sign * move, units: units,
            grossCents: gross, commissionCents: commission, swapCents: swap, netCents: net, pipsTenths: move,
            balanceCents: balanceCents, isFinal: isFinal)
    }
}
