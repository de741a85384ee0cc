import Analytics
import ArgumentParser
import Foundation
import PipsightCore
import PostgresStore

/// `pipsight compare ID ID…`: backtests (or every pass of an optimisation) side by side, ranked.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare backtests or optimisation passes side by side, ranked by a metric (default: cTrader's fitness).",
        discussion: """
            An .optres import contributes one row per pass. Fitness is cTrader's default:
            netProfit × winningTrades / (1 + maxEquityDrawdownPercent / 100); see docs/analytics.md.
            """
    )

    @Argument(help: "Backtest ids (or unique prefixes).")
    var ids: [String]

    @Option(name: .customLong("rank-by"), help: "Metric: \(RankingMetric.allCases.map(\.rawValue).joined(separator: ", ")).")
    var rankBy = RankingMetric.fitness.rawValue

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let metric = try Terminal.runSync {
            guard let metric = RankingMetric(rawValue: rankBy) else {
                throw PipsightError(
                    .badRequest,
                    "unknown metric \"\(rankBy)\"; use one of \(RankingMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return metric
        }
        let texts = ids
        let report = try await Terminal.run {
            try await database.withStore { store in
                var resolved: [UUID] = []
                for text in texts { resolved.append(try await BacktestIDArgument.resolve(text, in: store)) }
                return ComparisonReport(rankBy: metric, entries: try await store.comparisonEntries(backtestIDs: resolved))
            }
        }
        if json {
            try printJSON(report)
            return
        }
        print(StatsTable.render(comparison: report))
    }
}
