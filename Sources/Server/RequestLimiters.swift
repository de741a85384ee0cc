/// The server's shared limiters, built once from the configuration: the per-key rate limit, the bound on
/// language-model generation, and when an API key's last use is written. Tests build their own to inject a clock
/// or to watch the generation queue.
public struct RequestLimiters: Sendable {
    /// nil when the rate limit is off (`PIPSIGHT_RATE_LIMIT=0`).
    public let rate: TokenBucketRateLimiter?
    public let generation: GenerationLimiter
    let keyUse: APIKeyUseRecorder

    public init(configuration: ServerConfiguration, clock: any RateLimitClock = SystemRateLimitClock()) {
        rate = configuration.rateLimitPerSecond > 0
            ? TokenBucketRateLimiter(
                rate: configuration.rateLimitPerSecond, burst: max(1, configuration.rateLimitBurst), clock: clock)
            : nil
        generation = GenerationLimiter(
            maxConcurrent: max(1, configuration.generationConcurrency), maxQueued: max(0, configuration.generationQueue))
        keyUse = APIKeyUseRecorder(clock: clock)
    }
}
