import Synchronization

/// Bounds language-model generation: at most `maxConcurrent` answers are generated at once and at most
/// `maxQueued` more wait for a slot; beyond that `acquire` throws `Full` at once (503 with `Retry-After`).
/// A waiting request whose client goes away leaves the queue.
public actor GenerationLimiter {
    /// The queue is full.
    public struct Full: Error, Sendable {}

    public nonisolated let maxConcurrent: Int
    public nonisolated let maxQueued: Int
    /// Answers being generated now.
    public private(set) var running = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(maxConcurrent: Int, maxQueued: Int) {
        precondition(maxConcurrent >= 1 && maxQueued >= 0, "generation needs at least one slot and a queue of 0 or more")
        self.maxConcurrent = maxConcurrent
        self.maxQueued = maxQueued
    }

    /// Requests waiting for a slot.
    public var queued: Int { waiters.count }

    /// Waits for a slot; the permit gives it back when released or dropped.
    public func acquire() async throws -> GenerationPermit {
        if running < maxConcurrent {
            running += 1
            return GenerationPermit(limiter: self)
        }
        guard waiters.count < maxQueued else { throw Full() }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        // The slot was handed over by `release` (running was not decremented).
        return GenerationPermit(limiter: self)
    }

    /// Gives a slot back: to the longest waiting request, else to the pool.
    func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}

/// A generation slot. `release()` gives it back; a permit dropped without release gives it back too, so a
/// response body that is never written cannot leak a slot.
public final class GenerationPermit: Sendable {
    private let limiter: GenerationLimiter
    private let released = Atomic<Bool>(false)

    init(limiter: GenerationLimiter) {
        self.limiter = limiter
    }

    /// Gives the slot back (once; later calls do nothing).
    public func release() async {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await limiter.release()
    }

    deinit {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let limiter = self.limiter
        Task { await limiter.release() }
    }
}
