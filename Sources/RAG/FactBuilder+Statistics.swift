import Analytics
import Foundation
import PipsightCore

extension FactContext {
    /// Totals and ratios of the whole backtest (SQL statistics).
    mutating func statisticFact(_ intent: QuestionIntent) async throws -> [Fact] {
        guard let statistics = try await statistics(), statistics.all.tradeCount > 0 else { return [] }
        let all = statistics.all
        let source = "\(aggregateSource): statistics"
        let context = self
        let money = { (label: String, value: Decimal) in
            [context.fact(intent, label, FactFormat.money(value), amount: value, source: source)]
        }
        switch intent {
        case .tradeCount:
            return [
                fact(
                    intent, "Number of trades", "\(all.tradeCount)", amount: Decimal(all.tradeCount),
                    detail: "\(all.winningTrades) winners, \(all.losingTrades) losers", source: source),
            ]
        case .netProfit:
            return [
                fact(
                    intent, "Net profit", FactFormat.money(all.netProfit), amount: all.netProfit,
                    detail: "\(all.tradeCount) trades, commissions \(FactFormat.money(all.commissions)), swaps \(FactFormat.money(all.swaps))",
                    source: source),
            ]
        case .commissions: return money("Commissions", all.commissions)
        case .swaps: return money("Swaps", all.swaps)
        case .averageTrade: return all.averageTrade.map { money("Average net profit per trade", $0) } ?? []
        case .averageWin: return all.averageWin.map { money("Average winning trade", $0) } ?? []
        case .averageLoss: return all.averageLoss.map { money("Average losing trade", $0) } ?? []
        case .winRate:
            guard let winRate = all.winRate else { return [] }
            return [
                fact(
                    intent, "Win rate", FactFormat.percent(winRate), amount: FactFormat.decimal(winRate * 100, places: 1),
                    detail: "\(all.winningTrades) winners of \(all.tradeCount) trades", source: source),
            ]
        case .profitFactor:
            return [
                fact(
                    intent, "Profit factor", all.profitFactorText,
                    amount: all.profitFactor.map { FactFormat.decimal($0, places: 2) },
                    detail: "gross profit \(FactFormat.money(all.grossProfit)), gross loss \(FactFormat.money(all.grossLoss))",
                    source: source),
            ]
        default:
            return []
        }
    }
}
