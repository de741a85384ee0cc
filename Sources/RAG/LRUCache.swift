import CoreMetrics
import Synchronization

/// A bounded, thread-safe least-recently-used cache: at most `capacity` entries; a lookup or store makes an entry
/// the most recent, and storing into a full cache evicts the least recent one. Capacity 0 stores nothing (every
/// lookup misses), which is how a cache is switched off.
///
/// Lookups are counted in `pipsight_cache_lookups_total{cache, result}` (`hit` or `miss`) and evictions in
/// `pipsight_cache_evictions_total{cache}` of the metrics factory given.
public final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public static var lookupsMetric: String { "pipsight_cache_lookups_total" }
    public static var evictionsMetric: String { "pipsight_cache_evictions_total" }

    /// The cache's name in the metrics (`facts`, `answers`, `embeddings`, `retrieval`).
    public let name: String
    /// Most entries kept.
    public let capacity: Int
    private let state: Mutex<State>
    private let hits: Counter
    private let misses: Counter
    private let evictions: Counter

    public init(name: String, capacity: Int, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.name = name
        self.capacity = max(0, capacity)
        self.state = Mutex(State())
        hits = Counter(label: Self.lookupsMetric, dimensions: [("cache", name), ("result", "hit")], factory: metricsFactory)
        misses = Counter(label: Self.lookupsMetric, dimensions: [("cache", name), ("result", "miss")], factory: metricsFactory)
        evictions = Counter(label: Self.evictionsMetric, dimensions: [("cache", name)], factory: metricsFactory)
    }

    /// False when the capacity is 0: nothing is ever stored.
    public var isEnabled: Bool { capacity > 0 }

    /// Entries held now.
    public var count: Int { state.withLock { $0.slots.count - $0.free.count } }

    /// The value stored for `key` (making it the most recent), or nil.
    public func value(forKey key: Key) -> Value? {
        guard isEnabled else { return nil }
        let found: Value? = state.withLock { state in
            guard let slot = state.index[key] else { return nil }
            state.moveToFront(slot)
            return state.slots[slot].value
        }
        if found != nil { hits.increment() } else { misses.increment() }
        return found
    }

    /// Stores `value` for `key` as the most recent entry, evicting the least recent one when full.
    public func setValue(_ value: Value, forKey key: Key) {
        guard isEnabled else { return }
        let evicted: Bool = state.withLock { state in
            if let slot = state.index[key] {
                state.slots[slot].value = value
                state.moveToFront(slot)
                return false
            }
            var evicted = false
            if state.slots.count - state.free.count >= capacity, state.tail >= 0 {
                let last = state.tail
                state.unlink(last)
                if let old = state.slots[last].key { state.index[old] = nil }
                state.slots[last].key = nil
                state.slots[last].value = nil
                state.free.append(last)
                evicted = true
            }
            let slot: Int
            if let reused = state.free.popLast() {
                slot = reused
                state.slots[slot] = Slot(key: key, value: value)
            } else {
                slot = state.slots.count
                state.slots.append(Slot(key: key, value: value))
            }
            state.index[key] = slot
            state.pushFront(slot)
            return evicted
        }
        if evicted { evictions.increment() }
    }

    /// Forgets every entry.
    public func removeAll() {
        state.withLock { $0 = State() }
    }

    /// One entry in the recency list (doubly linked by slot index; -1 ends it).
    struct Slot {
        var key: Key?
        var value: Value?
        var previous = -1
        var next = -1
    }

    struct State {
        var slots: [Slot] = []
        var index: [Key: Int] = [:]
        var free: [Int] = []
        /// Most recent entry.
        var head = -1
        /// Least recent entry.
        var tail = -1

        mutating func unlink(_ slot: Int) {
            let previous = slots[slot].previous, next = slots[slot].next
            if previous >= 0 { slots[previous].next = next } else { head = next }
            if next >= 0 { slots[next].previous = previous } else { tail = previous }
            slots[slot].previous = -1
            slots[slot].next = -1
        }

        mutating func pushFront(_ slot: Int) {
            slots[slot].previous = -1
            slots[slot].next = head
            if head >= 0 { slots[head].previous = slot }
            head = slot
            if tail < 0 { tail = slot }
        }

        mutating func moveToFront(_ slot: Int) {
            guard head != slot else { return }
            unlink(slot)
            pushFront(slot)
        }
    }
}
