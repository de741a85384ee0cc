import Foundation

/// The one-sided random-subset permutation test behind every filter Pipsight proposes.
///
/// Null hypothesis: the `n` trades of a group (a weekday, an hour, a direction) are an ordinary random subset of
/// all `N` trades. The statistic is the group's summed net profit; the p-value is the share of random `n`-subsets
/// (drawn without replacement, seeded, so the same trades always give the same p-value) whose sum is as low or
/// lower, with the usual +1 correction: `p = (1 + #{sum ≤ observed}) / (1 + resamples)`. Resampling stops early
/// once `stopAfter` subsets were as low (Besag and Clifford's sequential Monte Carlo p-value, `p = stopAfter / drawn`):
/// a clearly unremarkable group costs a few dozen draws instead of `resamples`, and its p-value stays valid.
///
/// When `resamples × min(n, N − n)` would exceed `drawBudget` (very large backtests), the permutation
/// distribution is replaced by its normal approximation, with the exact mean `n·μ` and variance
/// `n·σ²·(N − n)/(N − 1)` of a random subset's sum (accurate for such large groups).
public struct SubsetPermutationTest: Sendable, Hashable {
    /// The outcome of one test.
    public struct Result: Sendable, Hashable {
        public var pValue: Double
        /// Random subsets drawn; nil when the normal approximation was used.
        public var resamples: Int?

        /// `permutation test (20000 resamples)` or `normal approximation of the permutation test`.
        public var methodText: String {
            resamples.map { "permutation test (\($0) resamples)" } ?? "normal approximation of the permutation test"
        }
    }

    /// Random subsets drawn per group at most.
    public var resamples: Int
    /// Subsets as low as the group's after which resampling stops (sequential p-value).
    public var stopAfter: Int
    /// Most draws (resamples × subset size) one test may make before it uses the normal approximation.
    public var drawBudget: Int
    public var seed: UInt64

    public init(resamples: Int = 20_000, stopAfter: Int = 20, drawBudget: Int = 50_000_000, seed: UInt64 = 0x5049_5053_4947_4854) {
        self.resamples = resamples
        self.stopAfter = stopAfter
        self.drawBudget = drawBudget
        self.seed = seed
    }

    /// Whether a subset of `size` out of `total` is tested by resampling (else by the normal approximation).
    public func resamples(size: Int, total: Int) -> Bool {
        let drawn = max(1, min(size, total - size))
        return drawn <= drawBudget / max(1, resamples)
    }

    /// One-sided p-value that a random subset of `subsetSize` of `values` sums to `observedSum` or less.
    /// `salt` varies the seed per group, so that groups of equal size do not share their draws.
    public func test(values: [Double], subsetSize: Int, observedSum: Double, salt: UInt64 = 0) -> Result {
        let total = values.count
        guard subsetSize > 0, subsetSize < total else { return Result(pValue: 1, resamples: 0) }
        guard resamples(size: subsetSize, total: total) else {
            return Result(pValue: normalPValue(values: values, subsetSize: subsetSize, observedSum: observedSum), resamples: nil)
        }
        let count = max(1, resamples)
        let stopAfter = max(1, self.stopAfter)
        // Draw the smaller side: the complement of a random subset is a random subset.
        let drawComplement = subsetSize > total - subsetSize
        let drawSize = drawComplement ? total - subsetSize : subsetSize
        let grandTotal = values.reduce(0, +)
        // Float sums of the same trades in another order differ in the last bits; do not let that decide a tie.
        let tolerance = 1e-9 * max(1, values.reduce(0) { $0 + abs($1) })
        var pool = values
        var random = SeededRandom(seed: seed ^ (salt &* 0x9E37_79B9_7F4A_7C15))
        var atMost = 0
        var drawn = 0
        pool.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while drawn < count {
                var sum = 0.0
                // Partial Fisher–Yates: from any arrangement of the pool this draws a uniform random subset.
                for i in 0..<drawSize {
                    let j = i + random.int(below: total - i)
                    let picked = base[j]
                    base[j] = base[i]
                    base[i] = picked
                    sum += picked
                }
                drawn += 1
                let subsetSum = drawComplement ? grandTotal - sum : sum
                if subsetSum <= observedSum + tolerance {
                    atMost += 1
                    if atMost >= stopAfter { break }
                }
            }
        }
        if atMost >= stopAfter, drawn < count {
            return Result(pValue: Double(atMost) / Double(drawn), resamples: drawn)
        }
        return Result(pValue: Double(1 + atMost) / Double(1 + drawn), resamples: drawn)
    }

    /// The p-value of the normal approximation of the random-subset sum.
    func normalPValue(values: [Double], subsetSize: Int, observedSum: Double) -> Double {
        let total = Double(values.count)
        let n = Double(subsetSize)
        let mean = values.reduce(0, +) / total
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / total
        let deviation = (variance * n * (total - n) / (total - 1)).squareRoot()
        guard deviation > 0 else { return observedSum < n * mean ? 0 : 1 }
        let z = (observedSum - n * mean) / deviation
        return 0.5 * erfc(-z / 2.0.squareRoot())
    }
}
