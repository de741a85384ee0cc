/// A Bloom filter of 64-bit hashes: "certainly not seen" or "probably seen", in a fixed amount of memory.
///
/// The History CSV parser remembers the IDs whose rows have ended, to find positions whose rows are not
/// adjacent. An exact `Set<UInt64>` of 25 million IDs (a 5 GB file) costs about 800 MB while it grows; this
/// costs about 2 bytes per expected ID. A false "seen" only makes a position wait until the end of the
/// file before it is emitted; it never changes a trade.
struct SeenHashes {
    private var words: [UInt64]
    private let mask: UInt64
    private static let probes = 8

    /// A filter for about `expected` hashes at roughly a 0.1 % false-positive rate (16 bits each).
    init(expected: Int) {
        var bits: UInt64 = 1 << 20
        let wanted = UInt64(max(expected, 1)).multipliedReportingOverflow(by: 16)
        while bits < wanted.partialValue, bits < 1 << 36, !wanted.overflow { bits <<= 1 }
        words = Array(repeating: 0, count: Int(bits / 64))
        mask = bits - 1
    }

    /// The bit positions of `hash`: double hashing over a SplitMix64 mix of it.
    @inline(__always)
    private func positions(_ hash: UInt64, _ body: (Int, UInt64) -> Bool) -> Bool {
        var z = hash &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let first = z
        let step = (z >> 32 | z << 32) | 1
        for probe in 0..<Self.probes {
            let bit = (first &+ UInt64(probe) &* step) & mask
            guard body(Int(bit >> 6), 1 << (bit & 63)) else { return false }
        }
        return true
    }

    mutating func insert(_ hash: UInt64) {
        var copy = words
        words = []
        _ = positions(hash) { word, bit in
            copy[word] |= bit
            return true
        }
        words = copy
    }

    /// False when `hash` was certainly never inserted.
    func contains(_ hash: UInt64) -> Bool {
        positions(hash) { word, bit in words[word] & bit != 0 }
    }
}
