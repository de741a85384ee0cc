/// Thrown by `withTimeout` when the operation did not finish in time.
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    public var duration: Duration

    public init(duration: Duration) { self.duration = duration }
    public var description: String { "timed out after \(duration)" }
}

/// Runs `operation`, cancelling it and throwing `TimeoutError` if it takes longer than `duration`.
@discardableResult
public func withTimeout<T: Sendable>(
    _ duration: Duration,
    _ operation: @Sendable @escaping () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: duration)
            throw TimeoutError(duration: duration)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TimeoutError(duration: duration) }
        return result
    }
}
