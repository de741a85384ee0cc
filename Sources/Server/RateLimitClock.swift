import Synchronization

/// The time source of the rate limiter: monotonic seconds from an arbitrary origin. Tests inject `ManualClock`.
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

/// A clock that moves only when told to (tests of refill without sleeping).
public final class ManualClock: RateLimitClock {
    private let now = Mutex<Double>(0)

    public init() {}

    public func seconds() -> Double { now.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: Double) {
        now.withLock { $0 += seconds }
    }
}
