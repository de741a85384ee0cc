import ArgumentParser
import Foundation
import PostgresStore

/// `pipsight backtests`: what is stored, with the headline numbers of each.
struct BacktestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtests",
        abstract: "List the stored backtests: source, format, symbol, trades, net profit, win rate."
    )

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let backtests = try await Terminal.run {
            try await database.withStore { try await $0.list() }
        }
        if json {
            try printJSON(backtests)
            return
        }
        print(BacktestTable.render(backtests))
    }
}

/// A plain-text table of backtests.
enum BacktestTable {
    static func render(_ backtests: [BacktestSummary]) -> String {
        guard !backtests.isEmpty else { return "no backtests stored yet: run `pipsight ingest FILE…`" }
        let header = ["id", "file", "format", "symbol", "trades", "events", "net profit", "win rate", "period"]
        let dateFormat = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        var rows: [[String]] = [header]
        for b in backtests {
            let net = b.netProfit.map { "\($0.rounded(2))" } ?? "-"
            let winRate = b.winRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
            let start = b.testingStart ?? b.firstTradeOpen
            let end = b.testingEnd ?? b.lastTradeClose
            let period = [start, end].compactMap { $0?.formatted(dateFormat) }.joined(separator: " – ")
            rows.append([
                String(b.id.uuidString.lowercased().prefix(8)), b.sourceName, b.format, b.symbol ?? "-",
                String(b.tradeCount), String(b.eventCount), net + (b.depositAsset.map { " \($0)" } ?? ""), winRate,
                period.isEmpty ? "-" : period,
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

extension Decimal {
    /// Rounded to `scale` decimals, half away from zero.
    func rounded(_ scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }
}
