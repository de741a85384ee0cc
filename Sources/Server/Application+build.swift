import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Ollama
import PipsightCore
import PostgresNIO
import PostgresStore
import RAG

/// Builds the Pipsight HTTP application; used by `pipsight serve` and by the tests.
/// The PostgreSQL client runs as a service of the application and migrations run before the server starts.
public func buildApplication(
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "pipsight.server")
) throws -> some ApplicationProtocol {
    let client = PostgresClient(configuration: try configuration.database.clientConfiguration(), backgroundLogger: logger)
    let store = BacktestStore(client: client, logger: logger)
    // One HTTP client for Ollama, shut down with the application; answers fall back to offline while Ollama is away.
    let ollamaConfiguration = try OllamaConfiguration.fromEnvironment()
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let ollama = OllamaClient(httpClient: httpClient, configuration: ollamaConfiguration, logger: logger)
    let query = QueryService.standard(store: store, ollama: ollama, logger: logger)
    // Uploads are indexed in the background into the index questions are answered from.
    let indexer = BacktestIndexer(logger: logger) {
        guard let index = try await query.documentIndex() else {
            throw PipsightError(.configuration, "the query service has no document index")
        }
        return index
    }
    let router = buildRouter(store: store, configuration: configuration, query: query, indexer: indexer)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pipsight"),
        services: [client, HTTPClientService(client: httpClient), indexer],
        logger: logger
    )
    if configuration.migrateOnStart {
        app.beforeServerStarts {
            try await Migrator(client: client, logger: logger).migrate()
        }
    }
    return app
}

/// The routes, separate from the application so tests can drive them directly. `query` answers
/// `POST /v1/query`; nil: the offline default (no language model) over `store`. `indexer` indexes uploads in the
/// background; nil: uploads are not indexed.
func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil, indexer: BacktestIndexer?
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthRoutes(store: store).register(on: router)
    BacktestRoutes(store: store, maxUploadBytes: configuration.maxUploadBytes, indexer: indexer)
        .register(on: router.group("v1"))
    StatsRoutes(store: store).register(on: router.group("v1"))
    CBotRoutes(store: store, logger: store.logger).register(on: router.group("v1"))
    QueryRoutes(service: query ?? .standard(store: store, ollama: nil, logger: store.logger), logger: store.logger)
        .register(on: router.group("v1"))
    CitationRoutes(store: store).register(on: router.group("v1"))
    // The web page and its assets sit outside /v1: they hold no data, and the page asks for a key itself.
    WebRoutes(assets: WebAssets.installed(logger: store.logger)).register(on: router)
    return router
}

/// The routes without background indexing of uploads (tests that drive the router directly).
public func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil
) -> Router<BasicRequestContext> {
    buildRouter(store: store, configuration: configuration, query: query, indexer: nil)
}
