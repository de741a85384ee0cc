import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import Testing

/// `ColumnarTradeFacts` (largest win/loss, streaks, balance drawdown from the stored columns) on trades worked
/// out by hand — stored out of close order, a partial close whose deals are out of time order, a trade without
/// a net profit, a tie — and on generated backtests against the generator's own ground truth.
@Suite struct ColumnarTradeFactsTests {
    typealias S = AnalyticsTestSupport

    /// Close order: B +5 (02:00), C −2 (03:00), D none (04:00), A −3 (05:00), E −3 in deals −4 (06:00) and +1
    /// (07:00), F −1 (08:00), G +10 (09:00).
    static func trades() -> [Trade] {
        var d = S.trade("D", open: "2024-03-04T03:00:00Z", close: "2024-03-04T04:00:00Z", net: 0)
        d.netProfit = nil
        return [
            S.trade("A", open: "2024-03-04T01:00:00Z", close: "2024-03-04T05:00:00Z", net: -3, reason: .stopLoss),
            S.trade("B", .sell, open: "2024-03-04T00:00:00Z", close: "2024-03-04T02:00:00Z", net: 5),
            S.trade("C", open: "2024-03-04T02:30:00Z", close: "2024-03-04T03:00:00Z", net: -2),
            d,
            S.trade(
                "E", open: "2024-03-04T05:30:00Z", close: "2024-03-04T07:00:00Z", net: -3, symbol: "GBPUSD",
                deals: [
                    Deal(dealId: "E2", closeTime: S.date("2024-03-04T07:00:00Z"), netProfit: 1),
                    Deal(dealId: "E1", closeTime: S.date("2024-03-04T06:00:00Z"), netProfit: -4),
                ]),
            S.trade("F", open: "2024-03-04T07:30:00Z", close: "2024-03-04T08:00:00Z", net: -1),
            S.trade("G", open: "2024-03-04T08:30:00Z", close: "2024-03-04T09:00:00Z", net: Decimal(string: "10.25") ?? 0),
        ]
    }

    @Test("extremes, streaks and the drawdown of hand-checked trades")
    func handChecked() throws {
        let facts = ColumnarTradeFacts(try #require(TradeColumns(trades: Self.trades())))
        // A and E both lost 3: A closed first.
        let loss = try #require(facts.extreme(loss: true))
        #expect(loss.seq == 0)
        #expect(loss.netProfit == -3)
        #expect(loss.closeReason == .stopLoss)
        #expect(loss.direction == .buy)
        #expect(loss.symbol == "EURUSD")
        #expect(loss.openTime == S.date("2024-03-04T01:00:00Z"))
        #expect(loss.closeTime == S.date("2024-03-04T05:00:00Z"))
        let win = try #require(facts.extreme(loss: false))
        #expect(win.seq == 6)
        #expect(win.netProfit == Decimal(string: "10.25"))

        // C alone (D breaks it), then A, E, F.
        let losing = facts.streak(winning: false)
        #expect(losing.seqs == [0, 4, 5])
        #expect(losing.netProfit == -7)
        #expect(losing.firstCloseTime == S.date("2024-03-04T05:00:00Z"))
        #expect(losing.lastCloseTime == S.date("2024-03-04T08:00:00Z"))
        // B and G are runs of one: B is first.
        #expect(facts.streak(winning: false).seqs.count == 3)
        #expect(facts.streak(winning: true).seqs == [1])

        // 100 → 105 (B, the peak) → 103 → 103 → 100 → 96 (E's first deal, the low) → 97 → 96 → 106.25.
        let walked = try #require(facts.balanceDrawdown(startingBalance: 100))
        let drawdown = try #require(walked)
        #expect(drawdown.depth == 9)
        #expect(drawdown.peak == 105)
        #expect(drawdown.peakTime == S.date("2024-03-04T02:00:00Z"))
        #expect(drawdown.troughTime == S.date("2024-03-04T06:00:00Z"))
        #expect(drawdown.seqs == [2, 3, 0, 4])
        // A starting balance with more decimals than the columns still walks exactly.
        let walkedFiner = try #require(facts.balanceDrawdown(startingBalance: Decimal(string: "100.125") ?? 0))
        let finer = try #require(walkedFiner)
        #expect(finer.peak == Decimal(string: "105.125"))
        #expect(finer.depth == 9)
    }

    @Test("no trades, and trades that never lose or fall")
    func empty() throws {
        let none = ColumnarTradeFacts(TradeColumns())
        #expect(none.extreme(loss: true) == nil)
        #expect(none.streak(winning: true).seqs.isEmpty)
        #expect(none.balanceDrawdown(startingBalance: 0) == .some(nil))
        let rising = ColumnarTradeFacts(try #require(TradeColumns(trades: [
            S.trade("X", open: "2024-03-04T00:00:00Z", close: "2024-03-04T01:00:00Z", net: 2),
        ])))
        #expect(rising.extreme(loss: true) == nil)
        #expect(rising.streak(winning: false).seqs.isEmpty)
        #expect(rising.balanceDrawdown(startingBalance: 10) == .some(nil))
    }

    /// Both nil, or the same instant to the millisecond the columns keep.
    static func sameMillisecond(_ left: Date?, _ right: Date?) -> Bool {
        guard let left, let right else { return left == nil && right == nil }
        return abs(left.timeIntervalSince(right)) < 0.0005
    }

    @Test("generated backtests: the figures equal the generator's ground truth")
    func groundTruth() throws {
        for seed: UInt64 in [3, 20_251_125] {
            let generator = SampleGenerator(seed: seed, trades: 700)
            let truth = generator.groundTruth
            let trades = generator.pipsightTrades()
            let facts = ColumnarTradeFacts(try #require(TradeColumns(trades: trades)))
            let loss = try #require(facts.extreme(loss: true))
            #expect(loss.netProfit == truth.largestLoss)
            #expect(trades[loss.seq].positionId == truth.largestLossPositionId)
            let win = try #require(facts.extreme(loss: false))
            #expect(win.netProfit == truth.largestWin)
            #expect(trades[win.seq].positionId == truth.largestWinPositionId)
            #expect(facts.streak(winning: false).seqs.count == truth.maxConsecutiveLosses)
            #expect(facts.streak(winning: true).seqs.count == truth.maxConsecutiveWins)
            let walked = try #require(facts.balanceDrawdown(startingBalance: Decimal(generator.startingCapital)))
            let drawdown = try #require(walked)
            #expect(drawdown.depth == truth.maxBalanceDrawdown)
            #expect(Self.sameMillisecond(drawdown.peakTime, truth.maxBalanceDrawdownPeakTime))
            #expect(Self.sameMillisecond(drawdown.troughTime, truth.maxBalanceDrawdownTroughTime))
        }
    }
}
