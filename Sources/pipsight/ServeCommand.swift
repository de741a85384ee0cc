import ArgumentParser
import CoreMetrics
import Hummingbird
import Logging
import PipsightCore
import Server

/// `pipsight serve`: the HTTP API (see docs/openapi.yaml). Stops gracefully on SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP API (default 127.0.0.1:8080).")

    @Option(help: "Address to bind (default 127.0.0.1, or $PIPSIGHT_HOST).")
    var host: String?

    @Option(help: "Port (default 8080, or $PIPSIGHT_PORT).")
    var port: Int?

    @Flag(help: "Serve /v1 without API keys (local use only; or $PIPSIGHT_AUTH_DISABLED=true).")
    var noAuth = false

    @Option(help: "Log format: text or json (default text, or $PIPSIGHT_LOG_FORMAT).")
    var logFormat: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = try await Terminal.run {
            var configuration = try ServerConfiguration.fromEnvironment(database: try database.url())
            if let logFormat {
                configuration.logFormat = try LogFormat.fromEnvironment(["PIPSIGHT_LOG_FORMAT": logFormat])
            }
            return configuration
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if noAuth { configuration.authDisabled = true }
        // Once per process: every logger writes in the chosen format with the request id of the request it serves,
        // and libraries recording into the global metrics system land in /metrics.
        let format = configuration.logFormat
        LoggingSystem.bootstrap({ label, provider in
            switch format {
            case .json: JSONLogHandler(label: label, metadataProvider: provider)
            case .text: StreamLogHandler.standardError(label: label, metadataProvider: provider)
            }
        }, metadataProvider: .requestTrace)
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        var logger = Logger(label: "pipsight.server")
        logger.logLevel = database.verbose ? .debug : .info
        let app = try buildApplication(configuration: configuration, logger: logger, metrics: metrics)
        try await app.runService()
    }
}
