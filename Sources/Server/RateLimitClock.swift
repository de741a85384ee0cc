/// The time source of the rate limiter: monotonic seconds from an arbitrary origin. Tests inject a clock they move by hand.
public protocol RateLimitClock: Sendable {
    /// Seconds since this clock's origin; never decreases.
    func seconds() -> Double
}

/// The process's monotonic clock.
public struct SystemRateLimitClock: RateLimitClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func seconds() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
