import Foundation
import Ollama
import PipsightCore
import PostgresStore

/// Settings of `pipsight serve`. Defaults suit local use; `PIPSIGHT_*` variables and CLI flags override them.
public struct ServerConfiguration: Sendable {
    /// Address to bind; the default keeps the service on this machine.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port: Int = 8080
    /// Largest accepted upload (`POST /v1/backtests`), in bytes; larger bodies get 413.
    public var maxUploadBytes: Int = 256 * 1024 * 1024
    /// The database to use.
    public var database: DatabaseURL
    /// Run migrations when the application starts.
    public var migrateOnStart: Bool = true
    /// How Ollama is reached; nil: read from the `PIPSIGHT_OLLAMA_*` variables when the application is built.
    public var ollama: OllamaConfiguration?
    /// How `pipsight serve` writes its log (`PIPSIGHT_LOG_FORMAT`).
    public var logFormat: LogFormat = .text

    public init(database: DatabaseURL) {
        self.database = database
    }

    /// Reads `PIPSIGHT_HOST`, `PIPSIGHT_PORT`, `PIPSIGHT_MAX_UPLOAD_BYTES`, `PIPSIGHT_LOG_FORMAT` and, unless
    /// `database` is given, `PIPSIGHT_DATABASE_URL`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, database: DatabaseURL? = nil
    ) throws -> ServerConfiguration {
        var configuration = ServerConfiguration(database: try database ?? DatabaseURL.fromEnvironment(environment))
        if let host = environment["PIPSIGHT_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["PIPSIGHT_PORT"].flatMap(Int.init) { configuration.port = port }
        if let bytes = environment["PIPSIGHT_MAX_UPLOAD_BYTES"].flatMap(Int.init), bytes > 0 {
            configuration.maxUploadBytes = bytes
        }
        configuration.logFormat = try LogFormat.fromEnvironment(environment)
        return configuration
    }
}
