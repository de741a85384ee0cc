import Server
import Synchronization

/// A clock that moves only when told to (tests of refill without sleeping).
final class ManualClock: RateLimitClock {
    private let now = Mutex<Double>(0)

    init() {}

    func seconds() -> Double { now.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by seconds: Double) {
        now.withLock { $0 += seconds }
    }
}
