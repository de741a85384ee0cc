import Analytics
import Foundation
import PipsightCore

/// Trade-level facts from the stored trade columns (`ColumnarTradeFacts`): the same figures and text as the walk
/// over the stored trades, with only the named trades' position ids read from SQL. Each returns nil when the
/// backtest has no usable columns (or, defensively, a named trade's id cannot be read), and the caller walks
/// the trades instead.
extension FactContext {
    mutating func columnarExtremeTradeFact(_ intent: QuestionIntent) async throws -> [Fact]? {
        guard let columns = try await columns() else { return nil }
        guard let trade = columns.extreme(loss: intent == .largestLoss) else { return [] }
        guard let position = try await source.positionIDs(backtestID: id, seqs: [trade.seq])[trade.seq] else { return nil }
        return [
            extremeFact(
                intent, positionId: position, symbol: trade.symbol, direction: trade.direction, openTime: trade.openTime,
                closeTime: trade.closeTime, closeReason: trade.closeReason, net: trade.netProfit),
        ]
    }

    mutating func columnarStreakFact(_ intent: QuestionIntent) async throws -> [Fact]? {
        guard let columns = try await columns() else { return nil }
        let streak = columns.streak(winning: intent == .longestWinningStreak)
        guard let ids = try await positionIDs(streak.seqs) else { return nil }
        return [
            streakFact(
                intent, positionIds: ids, net: streak.netProfit, firstClose: streak.firstCloseTime,
                lastClose: streak.lastCloseTime),
        ]
    }

    mutating func columnarDrawdownFact() async throws -> [Fact]? {
        guard let columns = try await columns() else { return nil }
        guard columns.count > 0 else { return [] }
        guard let found = columns.balanceDrawdown(startingBalance: try await drawdownStartingBalance()) else { return nil }
        guard let drawdown = found else { return [noDrawdownFact()] }
        guard let ids = try await positionIDs(Array(drawdown.seqs.prefix(Self.drawdownTradeIDs))) else { return nil }
        return [
            drawdownFact(
                depth: drawdown.depth, peak: drawdown.peak, peakTime: drawdown.peakTime, trough: drawdown.troughTime,
                tradeCount: drawdown.seqs.count, positionIds: ids),
        ]
    }

    /// The position ids of `seqs`, in their order; nil when one is missing.
    func positionIDs(_ seqs: [Int]) async throws -> [String]? {
        let found = try await source.positionIDs(backtestID: id, seqs: seqs)
        var ids: [String] = []
        ids.reserveCapacity(seqs.count)
        for seq in seqs {
            guard let id = found[seq] else { return nil }
            ids.append(id)
        }
        return ids
    }
}
