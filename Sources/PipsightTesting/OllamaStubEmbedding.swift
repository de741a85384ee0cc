/// The stub's deterministic embedding: a hashed bag of lower-cased words (FNV-1a, so the same on every run and
/// platform), L2-normalised. Texts with the same words get the same vector; texts sharing words are closer
/// than texts sharing none; a text without words gets the first unit vector.
public enum OllamaStubEmbedding {
    /// The unit vector of `text` with `dimension` components.
    public static func vector(for text: String, dimension: Int) -> [Float] {
        precondition(dimension > 0, "dimension must be positive")
        var vector = [Float](repeating: 0, count: dimension)
        for word in words(of: text) {
            let hash = fnv1a(word)
            let index = Int(hash % UInt64(dimension))
            vector[index] += (hash >> 63) == 1 ? -1 : 1
        }
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else {
            vector[0] = 1
            return vector
        }
        return vector.map { $0 / norm }
    }

    /// Lower-cased runs of letters and digits.
    public static func words(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
