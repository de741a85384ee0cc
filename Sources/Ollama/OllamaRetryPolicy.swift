import PipsightCore

/// Bounded retries with exponential backoff and jitter, for Ollama's 503 "server busy" answers.
///
/// Attempt `n` (1-based) that failed is followed by a pause drawn uniformly from
/// `[d/2, d]` where `d = min(maxDelay, initialDelay × 2^(n-1))` ("equal jitter": never zero, never in step
/// with other clients). After `maxAttempts` attempts the last error is thrown.
public struct OllamaRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 means no retry).
    public var maxAttempts: Int
    /// The pause ceiling after the first failed attempt.
    public var initialDelay: Duration
    /// The largest pause ceiling.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The ceiling of the pause after failed attempt `attempt` (1-based), before jitter.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let seconds = min(maxDelay.seconds, initialDelay.seconds * Double(1 << exponent))
        return .nanoseconds(Int64(seconds * 1e9))
    }

    /// The pause after failed attempt `attempt`, uniformly in `[ceiling/2, ceiling]`.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt).seconds
        let seconds = ceiling / 2 + Double.random(in: 0...1, using: &generator) * ceiling / 2
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
