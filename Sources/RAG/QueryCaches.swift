import CoreMetrics

/// The in-memory caches of a `QueryService`, each a bounded `LRUCache` whose lookups are counted in
/// `pipsight_cache_lookups_total{cache}` (`facts`, `answers`, `retrieval`, `embeddings`).
///
/// Nothing in them can go stale: every key holds what its value was computed from, read afresh for each
/// question — the `BacktestVersion`s of the backtests in scope (one PostgreSQL lookup, which sees ingests,
/// re-indexing and deletions by any process), the index's in-process `generation`, the model, its options and
/// the prompt templates. A change makes new keys; old entries are never hit again and age out.
public struct QueryCaches: Sendable {
    public let configuration: QueryCacheConfiguration
    public let facts: LRUCache<FactCacheKey, [Fact]>
    public let answers: LRUCache<AnswerCacheKey, CachedAnswer>
    public let retrievals: LRUCache<RetrievalCacheKey, RetrievalOutcome>
    public let embeddings: LRUCache<String, [Float]>

    public init(configuration: QueryCacheConfiguration = .init(), metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.configuration = configuration
        facts = LRUCache(name: "facts", capacity: configuration.facts, metricsFactory: metricsFactory)
        answers = LRUCache(name: "answers", capacity: configuration.answers, metricsFactory: metricsFactory)
        retrievals = LRUCache(name: "retrieval", capacity: configuration.retrievals, metricsFactory: metricsFactory)
        embeddings = LRUCache(name: "embeddings", capacity: configuration.embeddings, metricsFactory: metricsFactory)
    }

    /// True when any cache keeps entries (then each question reads the backtests' versions).
    public var isEnabled: Bool { facts.isEnabled || answers.isEnabled || retrievals.isEnabled }
}
