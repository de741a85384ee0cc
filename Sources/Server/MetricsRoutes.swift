import Hummingbird
import NIOCore

/// `GET /metrics`: every metric in the Prometheus text format (version 0.0.4). The gauges of things that are
/// states rather than events — the document index, the indexing queue, PostgreSQL and its connections — are
/// read at each scrape.
struct MetricsRoutes: Sendable {
    let metrics: ServerMetrics
    let probes: ServerProbes

    func register(on router: Router<PipsightRequestContext>) {
        router.get("metrics") { _, _ -> Response in
            await refreshGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
    }

    /// Reads the current states into their gauges.
    func refreshGauges() async {
        let index = await probes.indexState(countDocuments: false)
        metrics.gauge("pipsight_index_open", [], index.open ? 1 : 0)
        metrics.gauge("pipsight_index_documents", [], index.embeddedDocuments ?? 0)
        metrics.gauge("pipsight_index_vectors", [], index.vectors ?? 0)
        metrics.gauge("pipsight_indexing_backlog", [], index.pendingBacktests)
        metrics.gauge("pipsight_db_connections_max", [], probes.maxConnections)
        if let pool = await probes.poolConnections() {
            metrics.gauge("pipsight_db_up", [], 1)
            metrics.gauge("pipsight_db_connections", [("state", "idle")], pool.idle)
            metrics.gauge("pipsight_db_connections", [("state", "in_use")], pool.inUse)
        } else {
            metrics.gauge("pipsight_db_up", [], await probes.databaseIsUp() ? 1 : 0)
        }
    }
}
