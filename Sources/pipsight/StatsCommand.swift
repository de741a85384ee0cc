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

/// Reads `--by` and `--time-zone` values.
enum BreakdownArguments {
    static func dimensions(_ values: [String]) throws -> [BreakdownDimension] {
        var result: [BreakdownDimension] = []
        for text in values.flatMap({ $0.split(separator: ",").map(String.init) }) {
            if text.lowercased() == "all" { return BreakdownDimension.allCases }
            guard let dimension = BreakdownDimension(text: text) else {
                throw PipsightError(
                    .badRequest,
                    "unknown breakdown \"\(text)\"; use weekday, hour, month, symbol, direction, holding, exit or all")
            }
            if !result.contains(dimension) { result.append(dimension) }
        }
        return result
    }

    static func timeZone(_ text: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: text) else {
            throw PipsightError(.badRequest, "unknown time zone \"\(text)\"; use an IANA name such as Europe/London or UTC")
        }
        return zone
    }
}

/// Turns a full id or a unique prefix into a backtest id.
enum BacktestIDArgument {
    static func resolve(_ text: String, in store: BacktestStore) async throws -> UUID {
        if let id = UUID(uuidString: text) { return id }
        let prefix = text.lowercased()
        let matches = try await store.list().map(\.id).filter { $0.uuidString.lowercased().hasPrefix(prefix) }
        guard !prefix.isEmpty, let first = matches.first else {
            throw PipsightError(.notFound, "no backtest with an id starting \"\(text)\"; see `pipsight backtests`")
        }
        guard matches.count == 1 else {
            throw PipsightError(.badRequest, "\"\(text)\" matches \(matches.count) backtests; give more of the id")
        }
        return first
    }
}

extension Terminal {
    /// `run` for synchronous work (argument checks).
    static func runSync<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PipsightError {
            Terminal.error("error: \(error) [\(error.code)]")
            throw ExitCode(1)
        }
    }
}
