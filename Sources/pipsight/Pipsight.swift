import ArgumentParser

/// The `pipsight` command: cTrader backtests in, answers and cBots out, all on this machine.
@main
struct Pipsight: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipsight",
        abstract: "Turn cTrader backtest exports into answers and code, on your own machine.",
        subcommands: [
            IngestCommand.self, BacktestsCommand.self, ServeCommand.self, MigrateCommand.self, SampleCommand.self, BenchCommand.self,
            AskCommand.self, DoctorCommand.self, EvalCommand.self, ReindexCommand.self, StatsCommand.self, CompareCommand.self,
            CBotCommand.self, KeysCommand.self,
        ]
    )
}
