import ArgumentParser
import Hummingbird
import Logging
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

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = try await Terminal.run {
            try ServerConfiguration.fromEnvironment(database: try database.url())
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if noAuth { configuration.authDisabled = true }
        var logger = Logger(label: "pipsight.server")
        logger.logLevel = database.verbose ? .debug : .info
        let app = try buildApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }
}
