import CoreMetrics
import Prometheus

/// The server's metrics: a Prometheus registry, the swift-metrics factory that records into it (handed to every
/// component that records metrics), and its rendering for `GET /metrics`.
///
/// Each application gets its own registry unless one is passed in, so tests never share counts. `pipsight serve`
/// also bootstraps the process-wide `MetricsSystem` with `factory` (once per process), so that libraries which
/// record into the global system land in the same registry.
public struct ServerMetrics: Sendable {
    /// Where the metrics are kept.
    public let registry: PrometheusCollectorRegistry
    /// Records into `registry`; durations go into histograms with `durationBuckets`.
    public let factory: PrometheusMetricsFactory

    /// Histogram buckets for every duration (`*_duration_seconds`): 1 ms to 60 s.
    public static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.factory = factory
    }

    /// The Prometheus text exposition of every metric recorded so far.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// Sets the gauge `label` (with `dimensions`) to `value`.
    func gauge(_ label: String, _ dimensions: [(String, String)] = [], _ value: Int) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }
}
