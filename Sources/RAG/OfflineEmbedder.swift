import PipsightCore

/// The built-in embedder used when no Ollama is configured or reachable: deterministic, no network, no model file.
///
/// Features (each hashed with FNV-1a into one of `dimension` buckets, with a hash-derived sign):
/// - word unigrams (weight 1) after lower-casing, stop-word removal and a light plural strip,
/// - a canonical concept token for trading synonyms (`long`→`buy`, `losing`→`loss`, `tue`→`tuesday`, …; weight 1),
/// - word bigrams of the remaining words (weight 0.5),
/// - character trigrams of each word of four or more letters, with boundary marks (weight 0.25), so near
///   spellings still meet; numbers get none (they must match exactly).
///
/// Counts are damped (`1 + ln tf`) and the vector is L2-normalised, so inner product is cosine similarity.
/// The same text always gives the same vector, on every machine.
public struct OfflineEmbedder: EmbeddingModel {
    /// The name stored next to the vectors; a different name or dimension means a different vector space.
    public let modelName: String
    public let dimension: Int

    /// The default dimension (384).
    public static let defaultDimension = 384

    public init(dimension: Int = OfflineEmbedder.defaultDimension) {
        precondition(dimension >= 16, "the offline embedder needs at least 16 dimensions")
        self.dimension = dimension
        self.modelName = "pipsight-offline-v1-\(dimension)"
    }

    public func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        texts.map { vector(for: $0) }
    }

    /// The vector of one text (synchronous; `embed` maps this over its input).
    public func vector(for text: String) -> [Float] {
        var counts: [Int: Float] = [:]
        let words = OfflineTokenizer.words(text)
        var previous: String?
        for word in words {
            add("w:" + word, weight: 1, to: &counts)
            if let concept = OfflineTokenizer.concept(of: word), concept != word {
                add("w:" + concept, weight: 1, to: &counts)
            }
            if let previous { add("b:" + previous + " " + word, weight: 0.5, to: &counts) }
            previous = word
            // Trigrams only for words of letters: numbers (prices, times, ids) must match exactly, and their
            // trigrams would crowd the buckets.
            let marked = Array(("<" + word + ">").utf8)
            if word.count >= 4, word.allSatisfy(\.isLetter) {
                for start in 0...(marked.count - 3) {
                    add(bytes: marked[start..<(start + 3)], prefix: 0x63, weight: 0.25, to: &counts)
                }
            }
        }
        if counts.isEmpty { add("empty", weight: 1, to: &counts) }
        var vector = [Float](repeating: 0, count: dimension)
        for (feature, weight) in counts {
            let bucket = feature & Int.max
            let sign: Float = feature < 0 ? -1 : 1
            vector[bucket % dimension] += sign * weight
        }
        var norm: Float = 0
        for value in vector { norm += value * value }
        norm = norm.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        for i in vector.indices { vector[i] /= norm }
        return vector
    }

    // Features keyed by their signed 64-bit hash; the weight is damped per feature at the end.
    private func add(_ feature: String, weight: Float, to counts: inout [Int: Float]) {
        let hash = Self.fnv1a(feature.utf8)
        accumulate(hash: hash, weight: weight, into: &counts)
    }

    private func add(bytes: ArraySlice<UInt8>, prefix: UInt8, weight: Float, to counts: inout [Int: Float]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(prefix)) &* 0x0000_0100_0000_01b3
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        accumulate(hash: hash, weight: weight, into: &counts)
    }

    private func accumulate(hash: UInt64, weight: Float, into counts: inout [Int: Float]) {
        let key = Int(bitPattern: UInt(Self.mix(hash)))
        // Damped term frequency: the first occurrence counts `weight`, each further one less.
        let current = counts[key] ?? 0
        counts[key] = current == 0 ? weight : current + weight / (1 + current / weight)
    }

    static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// A final avalanche (splitmix64), so bucket and sign bits are well spread.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
