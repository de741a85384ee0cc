/// Keeps the `k` best candidates seen so far in a bounded heap (O(n log k), no full sort).
///
/// "Better" means a larger key; equal keys are ordered by ascending id, so the result is deterministic
/// whatever order candidates arrive in (ids are unique). The root of the heap is the worst kept candidate.
public struct TopKSelector<Payload> {
    public let k: Int
    private var keys: [Float] = []
    private var ids: [String] = []
    private var payloads: [Payload] = []

    /// Keys below this can never enter (−∞ until `k` candidates are kept).
    public private(set) var threshold: Float = -.infinity

    public init(k: Int) {
        precondition(k > 0, "k must be positive")
        self.k = k
        keys.reserveCapacity(k)
        ids.reserveCapacity(k)
        payloads.reserveCapacity(k)
    }

    public var count: Int { keys.count }

    /// Offers a candidate. Call only when `key >= threshold` for speed; correctness does not depend on it.
    public mutating func insert(key: Float, id: String, payload: Payload) {
        guard !key.isNaN else { return }
        if keys.count < k {
            keys.append(key)
            ids.append(id)
            payloads.append(payload)
            siftUp(keys.count - 1)
            if keys.count == k { threshold = keys[0] }
            return
        }
        // Replace the root only when the candidate is strictly better than it.
        guard key > keys[0] || (key == keys[0] && id < ids[0]) else { return }
        keys[0] = key
        ids[0] = id
        payloads[0] = payload
        siftDown(0)
        threshold = keys[0]
    }

    /// Adds every candidate of another selector.
    public mutating func merge(_ other: TopKSelector<Payload>) {
        for i in 0..<other.keys.count where other.keys[i] >= threshold {
            insert(key: other.keys[i], id: other.ids[i], payload: other.payloads[i])
        }
    }

    /// The kept candidates, best first (key descending, then id ascending).
    public func sorted() -> [(key: Float, id: String, payload: Payload)] {
        var out: [(key: Float, id: String, payload: Payload)] = []
        out.reserveCapacity(keys.count)
        for i in 0..<keys.count { out.append((keys[i], ids[i], payloads[i])) }
        out.sort { $0.key != $1.key ? $0.key > $1.key : $0.id < $1.id }
        return out
    }

    /// `true` when entry `a` is worse than entry `b` (it belongs nearer the root).
    @inline(__always)
    private func worse(_ a: Int, _ b: Int) -> Bool {
        keys[a] < keys[b] || (keys[a] == keys[b] && ids[a] > ids[b])
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        keys.swapAt(a, b)
        ids.swapAt(a, b)
        payloads.swapAt(a, b)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = keys.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var worst = left
            let right = left + 1
            if right < n && worse(right, left) { worst = right }
            guard worse(worst, parent) else { return }
            swapAt(worst, parent)
            parent = worst
        }
    }
}

extension TopKSelector: Sendable where Payload: Sendable {}
