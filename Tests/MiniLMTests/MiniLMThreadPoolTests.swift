import Foundation
import Synchronization
import Testing

@testable import MiniLM

@Suite("The encoder's worker threads")
struct MiniLMThreadPoolTests {
    /// A value behind an NSLock. (Not `Mutex`: ThreadSanitizer does not see Synchronization's futex-based lock and
    /// reports the accesses it guards as races; it does see pthread mutexes, so these tests run clean under it.)
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            lock.lock()
            defer { lock.unlock() }
            return body(&value)
        }
    }

    /// Counts, per part, how often a run called it.
    final class Calls: Sendable {
        let counts: Locked<[Int]>
        init(parts: Int) { counts = Locked([Int](repeating: 0, count: parts)) }
        func record(_ part: Int) { counts.withLock { $0[part] += 1 } }
        var values: [Int] { counts.withLock { $0 } }
    }

    @Test("a run calls every part exactly once, for any number of parts and threads", arguments: [1, 2, 3, 4])
    func everyPartOnce(threads: Int) {
        let pool = MiniLMThreadPool(threads: threads)
        #expect(pool.threads == threads)
        for parts in [0, 1, 2, 3, 7, 64] {
            // Many runs in a row: workers that arrive late for one job must not take parts of the next.
            for _ in 0..<200 {
                let calls = Calls(parts: parts)
                pool.run(parts: parts) { part, _ in calls.record(part) }
                let counts = calls.values
                #expect(counts.allSatisfy { $0 == 1 }, "\(threads) threads, \(parts) parts: \(counts)")
            }
        }
    }

    @Test("the thread number of a part is below the pool's thread count, and no thread runs two parts at once")
    func threadNumbers() {
        let pool = MiniLMThreadPool(threads: 3)
        let busy = Locked<[Bool]>([false, false, false])
        let problems = Locked<[String]>([])
        let used = Locked<Set<Int>>([])
        for _ in 0..<50 {
            pool.run(parts: 40) { part, thread in
                guard (0..<3).contains(thread) else {
                    problems.withLock { $0.append("part \(part) on thread \(thread)") }
                    return
                }
                let wasBusy = busy.withLock { flags in
                    defer { flags[thread] = true }
                    return flags[thread]
                }
                if wasBusy { problems.withLock { $0.append("thread \(thread) ran two parts at once") } }
                used.withLock { _ = $0.insert(thread) }
                usleep(50)
                busy.withLock { $0[thread] = false }
            }
        }
        #expect(problems.withLock { $0 }.isEmpty)
        // The caller (0) and at least one worker took parts.
        let threads = used.withLock { $0 }
        #expect(threads.contains(0))
        #expect(threads.count > 1)
    }

    @Test("a run returns only after every part has finished, including slow ones on the workers")
    func waitsForAllParts() {
        let pool = MiniLMThreadPool(threads: 3)
        let finished = Atomic<Int>(0)
        pool.run(parts: 6) { part, _ in
            if part % 2 == 1 { usleep(20_000) }
            finished.add(1, ordering: .sequentiallyConsistent)
        }
        #expect(finished.load(ordering: .sequentiallyConsistent) == 6)
    }

    @Test("runs from several threads at once on one pool each complete all their parts")
    func concurrentRuns() async {
        let pool = MiniLMThreadPool(threads: 2)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ok = true
                    for _ in 0..<100 {
                        let calls = Calls(parts: 5)
                        pool.run(parts: 5) { part, _ in calls.record(part) }
                        ok = ok && calls.values.allSatisfy { $0 == 1 }
                    }
                    return ok
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 })
    }

    @Test("workers that went to sleep wake up for the next run")
    func wakesSleepingWorkers() {
        let pool = MiniLMThreadPool(threads: 2)
        let first = Calls(parts: 2)
        pool.run(parts: 2) { part, _ in first.record(part) }
        // Longer than the workers' spin (2 ms): they are asleep on the condition variable now.
        usleep(50_000)
        // Whichever part starts first waits (up to 10 s) for the other to start: that can only happen on a second
        // thread, so a worker that never woke leaves the other part unstarted until the wait gives up.
        let started = Atomic<Int>(0)
        let sawOther = Atomic<Int>(0)
        let second = Calls(parts: 2)
        pool.run(parts: 2) { part, _ in
            started.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(10)
            while started.load(ordering: .sequentiallyConsistent) < 2 && Date() < deadline { usleep(100) }
            if started.load(ordering: .sequentiallyConsistent) == 2 { sawOther.add(1, ordering: .sequentiallyConsistent) }
            second.record(part)
        }
        #expect(first.values == [1, 1])
        #expect(second.values == [1, 1])
        #expect(sawOther.load(ordering: .sequentiallyConsistent) == 2, "the two parts never ran at once: the worker never woke")
    }
}
