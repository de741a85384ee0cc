import Hummingbird

/// Applies the per-client token bucket to every request it sees: 429 `rate_limited` with `Retry-After` when the
/// client's bucket is empty. Runs after authentication, so clients are keys (or addresses when auth is off).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = PipsightRequestContext
    let limiter: TokenBucketRateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch limiter.take(context.rateLimitIdentity) {
        case .allowed:
            return try await next(request, context)
        case .limited(let seconds):
            var error = APIError(
                status: .tooManyRequests, code: "rate_limited",
                message: "too many requests: at most \(limiter.burst) at once and \(Self.format(limiter.rate)) per second; "
                    + "retry in \(seconds) s")
            error.headers[.retryAfter] = String(seconds)
            throw error
        }
    }

    static func format(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
