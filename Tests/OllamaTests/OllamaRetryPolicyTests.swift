import PipsightTesting
import Testing
@testable import Ollama

@Suite struct OllamaRetryPolicyTests {
    @Test func ceilingsDoubleUpToTheMaximum() {
        let policy = OllamaRetryPolicy(maxAttempts: 8, initialDelay: .milliseconds(250), maxDelay: .seconds(3))
        // 0.25 × 2^(n-1), capped at 3 s.
        let expected: [Double] = [0.25, 0.5, 1, 2, 3, 3, 3]
        for (index, seconds) in expected.enumerated() {
            #expect(abs(policy.ceiling(afterAttempt: index + 1).seconds - seconds) < 1e-9)
        }
    }

    @Test func jitteredDelaysStayBetweenHalfAndAllOfTheCeiling() {
        let policy = OllamaRetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), maxDelay: .seconds(1))
        var generator = SplitMix64(seed: 42)
        var distinct: Set<Int64> = []
        for attempt in 1...4 {
            let ceiling = policy.ceiling(afterAttempt: attempt).seconds
            for _ in 0..<200 {
                let delay = policy.delay(afterAttempt: attempt, using: &generator).seconds
                #expect(delay >= ceiling / 2 - 1e-9 && delay <= ceiling + 1e-9)
                distinct.insert(Int64(delay * 1e6))
            }
        }
        // Jitter: the pauses are not all the same.
        #expect(distinct.count > 100)
    }

    @Test func atLeastOneAttempt() {
        #expect(OllamaRetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
