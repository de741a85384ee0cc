import Foundation
import PostgresNIO
import PipsightCore

/// A `postgres://user:password@host:port/database?sslmode=disable` URL, as `PIPSIGHT_DATABASE_URL` holds it.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `disable` (default for loopback) or `require`.
    public var requireTLS: Bool

    /// The environment variable the application reads.
    public static let environmentKey = "PIPSIGHT_DATABASE_URL"

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String, requireTLS: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
    }

    /// Parses the URL; throws a `configuration_error` that says what is wrong with it.
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw PipsightError(.configuration, "\(Self.environmentKey) must look like postgres://user@host:port/database, got \"\(text)\"")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PipsightError(.configuration, "\(Self.environmentKey) has no host: \"\(text)\"")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw PipsightError(.configuration, "\(Self.environmentKey) names no database: \"\(text)\"")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user ?? "postgres"
        self.password = components.password
        self.database = database
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        self.requireTLS = sslmode == "require" || sslmode == "verify-full" || sslmode == "verify-ca"
    }

    /// Reads `PIPSIGHT_DATABASE_URL`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseURL {
        guard let text = environment[environmentKey], !text.isEmpty else {
            throw PipsightError(.configuration, "\(environmentKey) is not set: start the private database with `scripts/pg start` and export the URL it prints")
        }
        return try DatabaseURL(text)
    }

    /// The same URL naming another database (tests use one database each).
    public func withDatabase(_ name: String) -> DatabaseURL {
        var copy = self
        copy.database = name
        return copy
    }

    /// PostgresNIO client configuration for this URL; `applicationName` is sent as PostgreSQL's `application_name`.
    public func clientConfiguration(applicationName: String? = nil) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 20
        if let applicationName {
            // Names the connections in pg_stat_activity (the server's pool metrics count them by it).
            configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        }
        return configuration
    }

    /// The full URL, password included, for handing to another process (`--database-url`).
    public var connectionString: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: requireTLS ? "require" : "disable")]
        return components.string ?? description
    }

    /// The URL without its password.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)"
    }
}
