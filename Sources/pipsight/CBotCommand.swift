import ArgumentParser
import CBotGen
import Foundation
import PipsightCore
import PostgresStore

/// `pipsight cbot ID`: the rules the trades support, as a C# cBot, a strategy spec and a what-if report.
struct CBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbot",
        abstract: "Generate a C# cBot (cTrader Automate) from the patterns of a stored backtest, with a what-if report.",
        discussion: """
            ID is a backtest id from `pipsight backtests` (a unique prefix is enough). Weekday, hour and direction
            filters are proposed only when a Bonferroni-corrected permutation test says they are not noise
            (docs/cbot.md). --spec generates from a saved (and edited) spec instead of detecting; with an ID as well,
            the report replays that spec on the backtest. --split-date finds rules on the trades opened before the
            date and reports on both parts. Without -o the C# goes to standard output.
            """
    )

    @Argument(help: "Backtest id or a unique prefix of it (optional with --spec).")
    var id: String?

    @Option(help: "Template: filter (gates your own entry signal), sma (crossover entry) or rsi.")
    var template: String?

    @Option(name: [.short, .customLong("output")], help: "Write the C# here (default: standard output).")
    var output: String?

    @Option(help: "Write the what-if report as Markdown here.")
    var report: String?

    @Option(name: .customLong("report-json"), help: "Write the what-if report as JSON here.")
    var reportJSON: String?

    @Option(name: .customLong("spec-out"), help: "Write the strategy spec (JSON) here, to edit and reuse with --spec.")
    var specOut: String?

    @Option(help: "Generate from this strategy spec instead of detecting rules.")
    var spec: String?

    @Option(name: .customLong("split-date"), help: "Find rules on trades opened before this date (YYYY-MM-DD, UTC); report on both parts.")
    var splitDate: String?

    @Option(name: .customLong("passes-from"), help: "Take the best optimisation passes from this backtest (an .optres) instead of ID.")
    var passesFrom: String?

    @Option(help: "The cBot's name (default: the exported cBot name).")
    var name: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let arguments = try Terminal.runSync { try parsedArguments() }
        let logger = database.logger("pipsight.cbot")
        guard let idText = id else {
            // Spec only: no trades, so no report.
            let source = try Terminal.runSync { () throws -> String in
                guard let spec = arguments.spec else { throw PipsightError(.badRequest, "give a backtest ID, or --spec spec.json") }
                guard report == nil, reportJSON == nil else {
                    throw PipsightError(.badRequest, "a what-if report needs the trades: give a backtest ID as well")
                }
                var edited = spec
                if let template = arguments.options.template { edited.template = template }
                try write(edited.jsonData(), to: specOut)
                return try CBotRenderer().render(edited)
            }
            try Terminal.runSync { try emit(source) }
            return
        }
        let options = arguments.options
        let passesText = passesFrom
        let result = try await Terminal.run {
            try await database.withStore(label: "pipsight.cbot") { store -> CBotResult in
                let backtestID = try await BacktestIDArgument.resolve(idText, in: store)
                guard let summary = try await store.summary(id: backtestID) else {
                    throw PipsightError(.notFound, "no backtest with id \(backtestID)")
                }
                let trades = try await store.trades(backtestID: backtestID)
                var passesID = backtestID
                if let passesText { passesID = try await BacktestIDArgument.resolve(passesText, in: store) }
                let passes = try await store.optimisationPasses(backtestID: passesID)
                var resolved = options
                resolved.backtestID = backtestID
                resolved.name = options.name ?? summary.cBotName
                resolved.symbol = summary.symbol
                resolved.startingBalance = summary.startingCapital
                return try CBotGenerator(logger: logger).generate(trades: trades, passes: passes, options: resolved)
            }
        }
        try Terminal.runSync {
            try write(result.spec.jsonData(), to: specOut)
            try write(Data(result.reportMarkdown.utf8), to: report)
            try write(result.report.jsonData(), to: reportJSON)
            try emit(result.source)
        }
        let spec = result.spec
        Terminal.error(
            "\(spec.template.rawValue) cBot: \(spec.blockedWeekdays.count) weekday and \(spec.blockedHours.count) hour filters"
                + (spec.direction.map { ", \($0.allowed.rawValue.replacingOccurrences(of: "_", with: " "))" } ?? "")
                + ", \(result.report.inSample.removedTrades) of \(result.report.inSample.tradeCount) trades filtered "
                + "(net \(result.report.inSample.removedNetProfit)); in-sample: check with --split-date before trading it")
    }

    private func parsedArguments() throws -> (options: CBotOptions, spec: StrategySpec?) {
        var options = CBotOptions()
        options.template = try template.map(CBotOptions.template(from:))
        options.splitDate = try splitDate.map(CBotOptions.splitDate(from:))
        options.name = name
        var loaded: StrategySpec?
        if let spec {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: spec))
            } catch {
                throw PipsightError(.io, "cannot read \(spec): \(error.localizedDescription)", location: ErrorLocation(file: spec))
            }
            loaded = try StrategySpec.decode(from: data, file: (spec as NSString).lastPathComponent)
        }
        options.spec = loaded
        return (options, loaded)
    }

    private func emit(_ source: String) throws {
        guard let output else {
            print(source, terminator: "")
            return
        }
        try write(Data(source.utf8), to: output)
        Terminal.error("wrote \(output)")
    }

    private func write(_ data: Data, to path: String?) throws {
        guard let path else { return }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PipsightError(.io, "cannot write \(path): \(error.localizedDescription)", location: ErrorLocation(file: path))
        }
    }
}
