import Analytics
import ArgumentParser
import Foundation
import PipsightCore
import PostgresStore

/// `pipsight stats ID`: the metrics of one stored backtest, its breakdowns and its reconciliation.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Metrics of a stored backtest (all/long/short), breakdowns, and a check against cTrader's own figures.",
        discussion: """
            ID is a backtest id from `pipsight backtests` (the first characters are enough when unique).
            --by weekday|hour|month|symbol|direction|holding|exit (repeatable, or `all`) adds breakdowns;
            weekday, hour and month use --time-zone (an IANA name such as Europe/London; default UTC).
            Formulas: docs/analytics.md.
            """
    )

    @Argument(help: "Backtest id or a unique prefix of it.")
    var id: String

    @Option(name: .customLong("by"), help: "Breakdown: weekday, hour, month, symbol, direction, holding, exit, or all.")
    var by: [String] = []

    @Option(name: .customLong("time-zone"), help: "IANA time zone for weekday, hour and month (default UTC).")
    var timeZone = "UTC"

    @Flag(help: "Also list the drawdown periods (start, trough, recovery).")
    var drawdowns = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let dimensions = try Terminal.runSync { try BreakdownArguments.dimensions(by) }
        let zone = try Terminal.runSync { try BreakdownArguments.timeZone(timeZone) }
        let idText = id
        let wantDrawdowns = drawdowns
        let (report, curve) = try await Terminal.run {
            try await database.withStore { store -> (StatisticsReport, EquityCurve?) in
                let backtestID = try await BacktestIDArgument.resolve(idText, in: store)
                guard let report = try await store.statisticsReport(
                    backtestID: backtestID, breakdowns: dimensions, timeZone: zone)
                else { throw PipsightError(.notFound, "no backtest with id \(backtestID)") }
                let curve = wantDrawdowns ? try await store.equityCurve(backtestID: backtestID) : nil
                return (report, curve)
            }
        }
        if json {
            try printJSON(StatsOutput(report: report, drawdowns: curve?.drawdowns))
            return
        }
        print(StatsTable.render(report, order: dimensions))
        if let curve {
            print("")
            print(StatsTable.render(drawdowns: curve.drawdowns))
        }
    }

    /// `--json` output: the report, plus the drawdown periods when asked for.
    struct StatsOutput: Encodable {
        var report: StatisticsReport
        var drawdowns: [DrawdownPeriod]?

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            if let drawdowns {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(drawdowns, forKey: .drawdowns)
            }
        }

        enum Key: String, CodingKey { case drawdowns }
    }
}
