import Foundation
import Hummingbird
import Logging
import PipsightCore
import PostgresNIO
import PostgresStore

/// Builds the Pipsight HTTP application; used by `pipsight serve` and by the tests.
/// The PostgreSQL client runs as a service of the application and migrations run before the server starts.
public func buildApplication(
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "pipsight.server")
) throws -> some ApplicationProtocol {
    let client = PostgresClient(configuration: try configuration.database.clientConfiguration(), backgroundLogger: logger)
    let store = BacktestStore(client: client, logger: logger)
    let router = buildRouter(store: store, configuration: configuration)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pipsight"),
        services: [client],
        logger: logger
    )
    if configuration.migrateOnStart {
        app.beforeServerStarts {
            try await Migrator(client: client, logger: logger).migrate()
        }
    }
    return app
}

/// The routes, separate from the application so tests can drive them directly.
public func buildRouter(store: BacktestStore, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthRoutes(store: store).register(on: router)
    BacktestRoutes(store: store, maxUploadBytes: configuration.maxUploadBytes).register(on: router.group("v1"))
    return router
}
