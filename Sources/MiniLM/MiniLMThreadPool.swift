import MiniLMKernels

/// The worker threads of one encoder (`MiniLMKernels`' pool): a forward pass hands work to them about five times
/// per layer, and they spin for a couple of milliseconds between jobs instead of sleeping, so each hand-off costs
/// a microsecond rather than a thread wake-up (DispatchQueue.concurrentPerform left a fifth of a two-thread pass
/// of one short text idle). Concurrent runs on one pool are safe: the second runs on its caller alone.
final class MiniLMThreadPool: @unchecked Sendable {
    // `@unchecked Sendable`: the C pool serialises its runs itself (a run lock; a concurrent run is done inline).
    private let pool: OpaquePointer?
    /// The threads a run uses: the caller plus the workers the system started.
    let threads: Int

    /// A pool that runs on `threads` threads: the caller and `threads - 1` workers.
    init(threads: Int) {
        pool = minilm_pool_create(Int32(max(1, threads)))
        self.threads = Int(minilm_pool_threads(pool))
    }

    deinit { minilm_pool_destroy(pool) }

    /// A pool with no workers: every run on its caller. Shared; safe from any number of threads at once.
    static let serial = MiniLMThreadPool(threads: 1)

    /// Runs `body(part, thread)` for every part in `0..<parts` on the pool's threads; returns when all have
    /// finished. Parts are taken in order by whichever thread is free, so a thread the system holds back does not
    /// hold the others up by more than one part; `thread` (0 for the caller, up to `threads - 1`) runs one part at
    /// a time, so per-thread scratch can be indexed by it.
    func run(parts: Int, _ body: @Sendable (_ part: Int, _ thread: Int) -> Void) {
        guard parts > 1, threads > 1 else {
            for part in 0..<max(0, parts) { body(part, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                minilm_pool_run(pool, Int32(parts), { context, part, thread in
                    context?.assumingMemoryBound(to: (@Sendable (Int, Int) -> Void).self).pointee(Int(part), Int(thread))
                }, pointer)
            }
        }
    }
}
