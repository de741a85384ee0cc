import Synchronization

/// Per-client token buckets: each client may send `burst` requests at once, then `rate` requests per second.
/// A refused request learns how many whole seconds until a token is back (`Retry-After`).
public final class TokenBucketRateLimiter: Sendable {
    /// The verdict on one request.
    public enum Decision: Sendable, Hashable {
        case allowed
        /// Refused; a token is back after this many seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// Tokens added per second.
    public let rate: Double
    /// Bucket size: the most requests accepted at once after a quiet spell.
    public let burst: Int
    private let clock: any RateLimitClock
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Above this many clients, buckets that have refilled completely are forgotten (they equal a new bucket).
    static let pruneThreshold = 10_000

    public init(rate: Double, burst: Int, clock: any RateLimitClock = SystemRateLimitClock()) {
        precondition(rate > 0 && burst >= 1, "the rate limit needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self.clock = clock
    }

    /// Takes a token from `client`'s bucket if there is one.
    public func take(_ client: String) -> Decision {
        let now = clock.seconds()
        let capacity = Double(burst)
        let rate = self.rate
        return buckets.withLock { buckets in
            if buckets.count > Self.pruneThreshold {
                buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * rate < capacity }
            }
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / rate
                decision = .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            buckets[client] = bucket
            return decision
        }
    }
}
