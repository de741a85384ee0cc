import Foundation
import Logging
import PipsightCore
import PostgresNIO
import PostgresStore
import ServiceLifecycle
import Synchronization

/// Whether PostgreSQL answers, watched through a probe connection of its own (not the request pool, so a busy pool
/// never looks like an outage).
///
/// PostgresNIO's pool keeps a request waiting while it cannot open connections (up to a minute before its circuit
/// breaker trips). The server cannot let requests hang that long: `DatabaseAvailabilityMiddleware` answers 503 at
/// once while the probe says PostgreSQL is down, and ends requests that are waiting when it goes down. When the
/// probe reaches PostgreSQL again, requests go through and the pool reconnects by itself; Pipsight is not restarted.
public final class DatabaseAvailability: Service, Sendable {
    /// What the last probe found.
    public enum State: Sendable, Equatable {
        /// No probe has finished yet; requests go through.
        case unknown
        case up
        /// The last probe failed, with why.
        case down(String)
    }

    private struct Shared {
        var state: State = .unknown
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let shared = Mutex(Shared())
    private let database: DatabaseURL
    private let interval: Duration
    private let probeTimeout: Duration
    private let logger: Logger

    /// Probes `database` every `interval`; a probe that takes longer than `probeTimeout` counts as down.
    public init(database: DatabaseURL, interval: Duration = .seconds(1), probeTimeout: Duration = .seconds(2), logger: Logger) {
        self.database = database
        self.interval = interval
        self.probeTimeout = probeTimeout
        self.logger = logger
    }

    /// The last probe's finding.
    public var state: State { shared.withLock { $0.state } }

    /// True while the last probe failed.
    public var isDown: Bool {
        if case .down = state { true } else { false }
    }

    /// Returns when a probe finds PostgreSQL down (at once if it already is), or when the task is cancelled.
    public func whenDown() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = shared.withLock { shared -> Bool in
                    if case .down = shared.state { return true }
                    if Task.isCancelled { return true }
                    shared.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            shared.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Probes until the application shuts down.
    public func run() async throws {
        logger.debug("watching PostgreSQL", metadata: ["interval": "\(interval)"])
        await cancelWhenGracefulShutdown {
            await self.probeLoop()
        }
    }

    private func probeLoop() async {
        var connection: PostgresConnection?
        while !Task.isCancelled {
            do {
                let open: PostgresConnection
                if let connection {
                    open = connection
                } else {
                    let configuration = PostgresConnection.Configuration(
                        host: database.host, port: database.port, username: database.username,
                        password: database.password, database: database.database, tls: .disable)
                    let logger = self.logger
                    open = try await Self.first(within: probeTimeout) {
                        try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    }
                    connection = open
                }
                let logger = self.logger
                _ = try await Self.first(within: probeTimeout) {
                    // Read to the end: a result left unread keeps the connection busy for the next probe.
                    for try await _ in try await open.query("SELECT 1", logger: logger) {}
                    return true
                }
                record(.up)
            } catch {
                logger.debug("PostgreSQL probe failed", metadata: ["error": "\(Self.reason(error))"])
                // A connection that stopped answering may not end by itself: let it go without waiting for it.
                if let stale = connection { Task { try? await stale.close() } }
                connection = nil
                record(.down(Self.reason(error)))
            }
            try? await Task.sleep(for: interval)
        }
        if let connection { try? await connection.close() }
    }

    /// `operation`'s result, or `TimeoutError` after `timeout` without waiting for it: a probe on a connection
    /// whose server vanished can stay stuck past cancellation, and the probe must not stay stuck with it.
    static func first<T: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = PendingContinuation(continuation)
            let work = Task {
                do {
                    let value = try await operation()
                    pending.take()?.resume(returning: value)
                } catch {
                    pending.take()?.resume(throwing: error)
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if let waiting = pending.take() {
                    work.cancel()
                    waiting.resume(throwing: TimeoutError(duration: timeout))
                }
            }
        }
    }

    /// Sets the state, logs a change, and wakes the requests waiting for an outage when it starts.
    func record(_ state: State) {
        let (previous, waiters) = shared.withLock { shared -> (State, [CheckedContinuation<Void, Never>]) in
            let previous = shared.state
            shared.state = state
            guard case .down = state else { return (previous, []) }
            let waiters = Array(shared.waiters.values)
            shared.waiters.removeAll()
            return (previous, waiters)
        }
        waiters.forEach { $0.resume() }
        switch (previous, state) {
        case (.down, .up): logger.notice("PostgreSQL answers again")
        case (.up, .down(let reason)), (.unknown, .down(let reason)):
            logger.error("PostgreSQL cannot be reached; requests get 503 until it answers", metadata: ["reason": "\(reason)"])
        default: break
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError { return "\(error.code)" }
        if let error = error as? TimeoutError { return error.description }
        return "\(error)"
    }
}

/// A continuation resumed once, by whichever of several tasks gets to it first.
private final class PendingContinuation<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    /// The continuation the first time, nil afterwards.
    func take() -> CheckedContinuation<T, any Error>? {
        continuation.withLock { $0.take() }
    }
}
