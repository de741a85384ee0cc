import Analytics
import Foundation

extension StatsTable {
    static func render(comparison: ComparisonReport) -> String {
        guard !comparison.entries.isEmpty else { return "nothing to compare" }
        let header = ["#", "backtest / pass", "trades", "winners", "net profit", "win rate", "PF", "max DD %", "Sharpe", "fitness"]
        let rows = comparison.entries.map { entry -> [String] in
            let drawdown = percent(entry.maxDrawdownPercent) + (entry.drawdownSource == .balance ? " (bal)" : "")
            return [
                entry.rank.map(String.init) ?? "–", entry.label, entry.tradeCount.map(String.init) ?? "–",
                entry.winningTrades.map(String.init) ?? "–", money(entry.netProfit),
                percent(entry.winRate.map { $0 * 100 }),
                ProfitFactor.text(entry.profitFactor, infinite: entry.profitFactorInfinite), drawdown,
                ratio(entry.sharpeRatio), entry.fitness.map { String(format: "%.2f", $0) } ?? "–",
            ]
        }
        return "Ranked by \(comparison.rankBy.rawValue)\n" + table([header] + rows, rightAligned: true)
    }
}
