import Foundation
import Testing
@testable import CBotGen

@Suite("Random-subset permutation test")
struct SubsetPermutationTestTests {
    /// The exact p-value by enumerating every subset of `size`.
    static func exactPValue(_ values: [Double], size: Int, observed: Double) -> Double {
        var atMost = 0
        var total = 0
        func choose(_ start: Int, _ left: Int, _ sum: Double) {
            if left == 0 {
                total += 1
                if sum <= observed + 1e-9 { atMost += 1 }
                return
            }
            guard start < values.count else { return }
            for index in start..<values.count { choose(index + 1, left - 1, sum + values[index]) }
        }
        choose(0, size, 0)
        return Double(atMost) / Double(total)
    }

    @Test("agrees with full enumeration of the subsets", arguments: [(3, -9.0), (4, -3.0), (5, 2.0), (8, 1.0)])
    func agreesWithEnumeration(size: Int, observed: Double) {
        let values: [Double] = [-5, -4, -3, -2, -1, 0.5, 1, 2, 3, 4, 6, -6]
        let exact = Self.exactPValue(values, size: size, observed: observed)
        let result = SubsetPermutationTest(resamples: 20_000, stopAfter: 20_001).test(values: values, subsetSize: size, observedSum: observed)
        #expect(result.resamples == 20_000)
        #expect(abs(result.pValue - exact) < 0.015, "exact \(exact), estimated \(result.pValue)")
    }

    @Test("the same inputs and seed give the same p-value; a subset of everything or nothing is 1")
    func deterministic() {
        let values = (0..<200).map { Double(($0 * 37) % 101) - 50 }
        let test = SubsetPermutationTest()
        let first = test.test(values: values, subsetSize: 40, observedSum: -300, salt: 3)
        #expect(first == test.test(values: values, subsetSize: 40, observedSum: -300, salt: 3))
        #expect(test.test(values: values, subsetSize: 0, observedSum: 0).pValue == 1)
        #expect(test.test(values: values, subsetSize: 200, observedSum: -1e9).pValue == 1)
    }

    @Test("sequential stopping: an unremarkable group stops after `stopAfter` low subsets, a rare one draws them all")
    func sequentialStop() throws {
        let values = (0..<500).map { Double(($0 * 7_919) % 500) - 250 }
        let test = SubsetPermutationTest(resamples: 20_000, stopAfter: 20)
        let ordinary = test.test(values: values, subsetSize: 50, observedSum: 0)
        let ordinaryDrawn = try #require(ordinary.resamples)
        // About half of all subsets sum below 0: 20 of them take about 40 draws.
        #expect(ordinaryDrawn < 200)
        #expect(abs(ordinary.pValue - 20 / Double(ordinaryDrawn)) < 1e-12)
        let rare = test.test(values: values, subsetSize: 50, observedSum: -5_000)
        #expect(rare.resamples == 20_000)
        #expect(rare.pValue < 0.001)
    }

    @Test("beyond the draw budget the normal approximation agrees with resampling")
    func normalApproximation() throws {
        // 2,000 values -40…+39.96 (mean about 0), a subset of 500 summing to -600.
        let values = (0..<2_000).map { Double(($0 * 7_919) % 2_000) / 25 - 40 }
        let resampled = SubsetPermutationTest(resamples: 20_000, stopAfter: 20_001, drawBudget: 20_000 * 500)
        let approximated = SubsetPermutationTest(resamples: 20_000, drawBudget: 20_000 * 499)
        let a = resampled.test(values: values, subsetSize: 500, observedSum: -600)
        let b = approximated.test(values: values, subsetSize: 500, observedSum: -600)
        #expect(a.resamples == 20_000)
        #expect(b.resamples == nil)
        #expect(abs(a.pValue - b.pValue) < 0.01, "resampled \(a.pValue), normal \(b.pValue)")
        // Hand computation: mean of the values and their variance give z and Φ(z).
        let mean = values.reduce(0, +) / 2_000
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2_000
        let z = (-600 - 500 * mean) / (variance * 500 * 1_500 / 1_999).squareRoot()
        #expect(abs(b.pValue - 0.5 * erfc(-z / 2.0.squareRoot())) < 1e-12)
    }
}
