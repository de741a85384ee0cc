/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list contributes `1 / (k + rank)` to every
/// item it holds (ranks start at 1), and items are ordered by the sum. `k = 60` damps the weight of the very
/// first ranks so that an item found by both lists beats one found at the top of a single list.
public struct ReciprocalRankFusion: Sendable, Hashable {
    /// The fused result for one item.
    public struct Fused: Sendable, Hashable {
        public var id: String
        public var score: Double
        /// The item's 1-based rank in each input list (nil where the list missed it).
        public var ranks: [Int?]
    }

    /// The smoothing constant.
    public var k: Double

    /// The constant of the original paper and of most search engines.
    public static let defaultK = 60.0

    public init(k: Double = ReciprocalRankFusion.defaultK) {
        self.k = k
    }

    /// Fuses ranked id lists (best first; a repeated id keeps its first rank), list `i` contributing
    /// `weights[i] / (k + rank)` (weight 1 where `weights` gives none). Result: best first, ties by id.
    public func fuse(_ lists: [[String]], weights: [Double] = []) -> [Fused] {
        var byID: [String: Fused] = [:]
        for (listIndex, list) in lists.enumerated() {
            let weight = listIndex < weights.count ? weights[listIndex] : 1
            var seen = Set<String>()
            for (position, id) in list.enumerated() where seen.insert(id).inserted {
                let rank = position + 1
                var entry = byID[id] ?? Fused(id: id, score: 0, ranks: Array(repeating: nil, count: lists.count))
                entry.score += weight / (k + Double(rank))
                entry.ranks[listIndex] = rank
                byID[id] = entry
            }
        }
        return byID.values.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }
}
