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
/// Metrics are recorded into `metrics` (default: a registry of this application's own) and served at `/metrics`.
public func buildApplication(
    configuration: ServerConfiguration,
    logger: Logger = Logger(label: "pipsight.server"),
    metrics: ServerMetrics = ServerMetrics()
) throws -> some ApplicationProtocol {
    // A name of this process's pool, so that /metrics can find its connections in pg_stat_activity.
    let applicationName = "pipsight-serve-" + RequestTrace.generate().prefix(8)
    let clientConfiguration = try configuration.database.clientConfiguration(applicationName: applicationName)
    let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
    let store = BacktestStore(client: client, logger: logger)
    // One HTTP client for Ollama, shut down with the application; answers fall back to offline while Ollama is away.
    let ollamaConfiguration = try configuration.ollama ?? OllamaConfiguration.fromEnvironment()
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let ollama = OllamaClient(
        httpClient: httpClient, configuration: ollamaConfiguration, logger: logger, metricsFactory: metrics.factory)
    let query = QueryService.standard(store: store, ollama: ollama, logger: logger, metricsFactory: metrics.factory)
    // Uploads are indexed in the background into the index questions are answered from.
    let indexer = BacktestIndexer(logger: logger) {
        guard let index = try await query.documentIndex() else {
            throw PipsightError(.configuration, "the query service has no document index")
        }
        return index
    }
    let probes = ServerProbes(
        store: store, query: query, ollama: ollama, indexer: indexer, applicationName: applicationName,
        maxConnections: clientConfiguration.options.maximumConnections)
    let router = buildRouter(
        store: store, configuration: configuration, query: query, indexer: indexer, metrics: metrics, probes: probes)
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
/// background; nil: uploads are not indexed. `probes` backs `/readyz` and `/metrics`; nil: probes of `store` and
/// the query service, without Ollama.
func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil, indexer: BacktestIndexer?,
    metrics: ServerMetrics, probes: ServerProbes? = nil
) -> Router<BasicRequestContext> {
    let query = query ?? .standard(store: store, ollama: nil, logger: store.logger, metricsFactory: metrics.factory)
    let probes = probes ?? ServerProbes(
        store: store, query: query, ollama: nil, indexer: indexer, applicationName: nil, maxConnections: 0)
    let router = Router(context: BasicRequestContext.self)
    // Outermost first: the request id covers everything, metrics see the final status, errors become JSON.
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: HTTPMetricsMiddleware(factory: metrics.factory))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthRoutes(probes: probes).register(on: router)
    MetricsRoutes(metrics: metrics, probes: probes).register(on: router)
    BacktestRoutes(
        store: store, maxUploadBytes: configuration.maxUploadBytes, indexer: indexer, metricsFactory: metrics.factory
    ).register(on: router.group("v1"))
    StatsRoutes(store: store).register(on: router.group("v1"))
    CBotRoutes(store: store, logger: store.logger).register(on: router.group("v1"))
    QueryRoutes(service: query, logger: store.logger).register(on: router.group("v1"))
    return router
}

/// The routes without background indexing of uploads (tests that drive the router directly).
public func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil,
    metrics: ServerMetrics = ServerMetrics()
) -> Router<BasicRequestContext> {
    buildRouter(store: store, configuration: configuration, query: query, indexer: nil, metrics: metrics)
}
