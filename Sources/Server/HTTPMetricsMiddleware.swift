import CoreMetrics
import Hummingbird
import PipsightCore

/// Records every request: `pipsight_http_requests_total{method, route, status}`, the latency histogram
/// `pipsight_http_request_duration_seconds{method, route, status}` (until the response body is written) and the
/// gauge `pipsight_http_requests_in_flight`. `route` is the matched route pattern (`/v1/backtests/{id}`), never
/// the raw path, so ids do not multiply the series; requests that match no route share `route="unmatched"`.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestsMetric: String { "pipsight_http_requests_total" }
    static var durationMetric: String { "pipsight_http_request_duration_seconds" }
    static var inFlightMetric: String { "pipsight_http_requests_in_flight" }

    let factory: any MetricsFactory
    let inFlight: Meter

    init(factory: any MetricsFactory) {
        self.factory = factory
        self.inFlight = Meter(label: Self.inFlightMetric, factory: factory)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        inFlight.increment()
        do {
            var response = try await next(request, context)
            let status = response.status
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                do {
                    try await body.write(writer)
                    record(request, context: context, status: status, since: started)
                } catch {
                    record(request, context: context, status: status, since: started)
                    throw error
                }
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context: context, status: status, since: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        inFlight.decrement()
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let dimensions = [
            ("method", request.method.rawValue), ("route", route), ("status", String(status.code)),
        ]
        Counter(label: Self.requestsMetric, dimensions: dimensions, factory: factory).increment()
        Timer(label: Self.durationMetric, dimensions: dimensions, factory: factory)
            .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
    }
}
