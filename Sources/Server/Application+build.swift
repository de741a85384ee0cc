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
    let clientConfiguration = try configuration.databaseClientConfiguration(applicationName: applicationName)
    let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
    let store = BacktestStore(client: client, logger: logger)
    // One HTTP client for Ollama, shut down with the application; answers fall back to offline while Ollama is away.
    let ollamaConfiguration = try configuration.ollama ?? OllamaConfiguration.fromEnvironment()
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let ollama = OllamaClient(
        httpClient: httpClient, configuration: ollamaConfiguration, logger: logger, metricsFactory: metrics.factory)
    let query = QueryService.standard(
        store: store, ollama: ollama, logger: logger, metricsFactory: metrics.factory,
        caches: QueryCaches(configuration: configuration.queryCaches, metricsFactory: metrics.factory))
    // Uploads are indexed in the background into the index questions are answered from.
    let indexer = BacktestIndexer(logger: logger) {
        guard let index = try await query.documentIndex() else {
            throw PipsightError(.configuration, "the query service has no document index")
        }
        return index
    }
    if configuration.authDisabled {
        logger.warning(
            "API keys are not required (PIPSIGHT_AUTH_DISABLED): anyone who can reach the port can use /v1",
            metadata: ["host": "\(configuration.host)"])
    }
    let probes = ServerProbes(
        store: store, query: query, ollama: ollama, indexer: indexer, applicationName: applicationName,
        maxConnections: clientConfiguration.options.maximumConnections)
    // Requests fail fast with 503 while PostgreSQL is away instead of waiting on the pool.
    let availability = DatabaseAvailability(database: configuration.database, logger: logger)
    let router = buildRouter(
        store: store, configuration: configuration, query: query, indexer: indexer,
        limiters: RequestLimiters(configuration: configuration), metrics: metrics, probes: probes,
        availability: availability)
    // A route stuck on a PostgreSQL connection that went away must not hold its client: see OutageGuardResponder.
    var app = Application(
        responder: OutageGuardResponder(inner: router.buildResponder(), availability: availability),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pipsight"),
        services: [client, availability, HTTPClientService(client: httpClient), indexer],
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
/// background; nil: uploads are not indexed. Every `/v1` route needs an API key (unless `authDisabled`) and is
/// rate limited; `/healthz`, `/readyz` and `/metrics` are open. `probes` backs `/readyz` and `/metrics`; nil:
/// probes of `store` and the query service, without Ollama. `availability`: when given, `/v1` answers 503 while
/// PostgreSQL is down.
func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil, indexer: BacktestIndexer?,
    limiters: RequestLimiters, metrics: ServerMetrics, probes: ServerProbes? = nil,
    availability: DatabaseAvailability? = nil
) -> Router<PipsightRequestContext> {
    var service = query ?? .standard(
        store: store, ollama: nil, logger: store.logger, metricsFactory: metrics.factory,
        caches: QueryCaches(configuration: configuration.queryCaches, metricsFactory: metrics.factory))
    service.limits = configuration.queryLimits
    let probes = probes ?? ServerProbes(
        store: store, query: service, ollama: nil, indexer: indexer, applicationName: nil, maxConnections: 0)
    let router = Router(context: PipsightRequestContext.self)
    // Outermost first: the request id covers everything, metrics see the final status (401, 429 and 503
    // included), errors become JSON.
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: HTTPMetricsMiddleware(factory: metrics.factory))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthRoutes(probes: probes).register(on: router)
    MetricsRoutes(metrics: metrics, probes: probes).register(on: router)
    let v1 = router.group("v1")
    if let availability { v1.add(middleware: DatabaseAvailabilityMiddleware(availability: availability)) }
    if !configuration.authDisabled {
        v1.add(middleware: APIKeyAuthMiddleware(store: store, useRecorder: limiters.keyUse))
    }
    if let rate = limiters.rate {
        v1.add(middleware: RateLimitMiddleware(limiter: rate))
    }
    BacktestRoutes(
        store: store, maxUploadBytes: configuration.maxUploadBytes, indexer: indexer, metricsFactory: metrics.factory
    ).register(on: v1)
    StatsRoutes(store: store).register(on: v1)
    CBotRoutes(store: store, logger: store.logger, maxBodyBytes: configuration.maxRequestBytes).register(on: v1)
    QueryRoutes(
        service: service, generation: limiters.generation, maxBodyBytes: configuration.maxRequestBytes,
        logger: store.logger
    ).register(on: v1)
    CitationRoutes(store: store).register(on: v1)
    // The web page and its assets sit outside /v1: they hold no data, and the page asks for a key itself.
    WebRoutes(assets: WebAssets.installed(logger: store.logger)).register(on: router)
    return router
}

/// The routes without background indexing of uploads (tests that drive the router directly). `limiters`: nil
/// builds them from `configuration` with the system clock.
public func buildRouter(
    store: BacktestStore, configuration: ServerConfiguration, query: QueryService? = nil,
    limiters: RequestLimiters? = nil, metrics: ServerMetrics = ServerMetrics()
) -> Router<PipsightRequestContext> {
    buildRouter(
        store: store, configuration: configuration, query: query, indexer: nil,
        limiters: limiters ?? RequestLimiters(configuration: configuration), metrics: metrics)
}
