import Synchronization

extension MiniLMEncoder {
    /// Token rows a group of consecutive texts reaches before the next text starts a new group: enough for the
    /// dense kernel's 12-row blocks to run full, few enough that a group's activations stay in the core's caches.
    static let groupRows = 128

    /// Groups per thread a batch needs before its texts run side by side: with fewer, the last groups would leave
    /// threads idle, and one pass split across the threads is faster.
    static let groupsPerThread = 4

    /// Consecutive texts grouped until each group has at least `rows` token rows (the last may have fewer); empty
    /// texts join the group they fall in.
    static func groups(of lengths: [Int], rows: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0, filled = 0
        for (index, length) in lengths.enumerated() {
            filled += length
            if filled >= rows {
                groups.append(start..<(index + 1))
                start = index + 1
                filled = 0
            }
        }
        if start < lengths.count { groups.append(start..<lengths.count) }
        return groups
    }

    /// The batch's texts side by side: each group of texts is one part, a whole forward pass on the thread that
    /// takes it, with no hand-off between threads inside it. Two threads then run as fast as two processes (a
    /// pass split across threads waits at every layer's hand-offs and moves activations between the cores'
    /// caches), and a thread the system holds back delays one group, not every layer. Vectors are those of
    /// `encodeTogether`: every row's arithmetic is the same.
    func encodeSideBySide(_ sequences: [[Int32]], groups: [Range<Int>]) -> [[Float]] {
        let serial = serialCopy()
        let results = Mutex([[Float]](repeating: [], count: sequences.count))
        pool.run(parts: groups.count) { part, _ in
            let group = groups[part]
            let vectors = serial.encodeTogether(Array(sequences[group]))
            results.withLock { results in
                for (offset, vector) in vectors.enumerated() { results[group.lowerBound + offset] = vector }
            }
        }
        return results.withLock { $0 }
    }

    /// This encoder on the calling thread alone (same weights, no workers).
    func serialCopy() -> MiniLMEncoder {
        var copy = self
        copy.pool = MiniLMThreadPool.serial
        return copy
    }
}
