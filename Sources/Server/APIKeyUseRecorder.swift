import Synchronization

/// Decides when a key's last-used time is written: on its first use by this process and then at most once per
/// `interval` seconds, so authenticated requests cost no write each.
final class APIKeyUseRecorder: Sendable {
    let interval: Double
    private let clock: any RateLimitClock
    private let recorded = Mutex<[String: Double]>([:])

    init(interval: Double = 60, clock: any RateLimitClock = SystemRateLimitClock()) {
        self.interval = interval
        self.clock = clock
    }

    /// True when `id`'s use should be written now (and notes that it is).
    func shouldRecord(_ id: String) -> Bool {
        let now = clock.seconds()
        return recorded.withLock { recorded in
            if let last = recorded[id], now - last < interval { return false }
            recorded[id] = now
            return true
        }
    }
}
