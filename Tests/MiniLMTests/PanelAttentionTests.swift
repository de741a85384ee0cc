import Foundation
import MiniLMKernels
import Testing

@testable import MiniLM

/// `minilm_attention_head` (attention on the packed kernel's panels) against attention computed directly in
/// double precision, for token counts that are and are not multiples of the kernels' 12 rows and 32-lane panels.
@Suite("MiniLM attention on the panel kernels")
struct PanelAttentionTests {
    @Test("one head's softmax(Q Kᵀ / √d) V equals the direct computation", arguments: [1, 2, 5, 12, 13, 32, 33, 70, 256])
    func attentionHead(tokens: Int) throws {
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: attention runs on OpenBLAS")
        let d = Int(MINILM_HEAD_SIZE)
        // Rows as the encoder lays them out: Q, K and V of three heads side by side, `stride` floats per token; the
        // head under test is the middle one, so reading past its 32 floats would pick up the neighbours' values.
        let hidden = 3 * d, stride = 3 * hidden, head = 1
        let qkv = PackedKernelTests.values(tokens * stride, seed: UInt64(40 + tokens)).map { $0 * 3 }
        let contextStride = hidden + 5
        var context = [Float](repeating: .nan, count: tokens * contextStride)
        var keys = [Float](repeating: .nan, count: minilm_attention_keys_count(Int32(tokens)))
        var scores = [Float](repeating: .nan, count: tokens * tokens)
        let scale = 1 / Float(d).squareRoot()
        qkv.withUnsafeBufferPointer { qkv in
            keys.withUnsafeMutableBufferPointer { keys in
                scores.withUnsafeMutableBufferPointer { scores in
                    context.withUnsafeMutableBufferPointer { context in
                        guard let base = qkv.baseAddress, let k = keys.baseAddress, let s = scores.baseAddress,
                              let c = context.baseAddress else { return }
                        let q = base + head * d
                        minilm_attention_head(q, q + hidden, q + 2 * hidden, Int32(tokens), Int32(stride), scale, k, s,
                                              c + head * d, Int32(contextStride))
                    }
                }
            }
        }
        var worst: Double = 0
        for i in 0..<tokens {
            var weights = (0..<tokens).map { j in
                (0..<d).reduce(0.0) { sum, x in
                    sum + Double(qkv[i * stride + head * d + x]) * Double(qkv[j * stride + hidden + head * d + x])
                } / Double(d).squareRoot()
            }
            let largest = weights.max() ?? 0
            weights = weights.map { Foundation.exp($0 - largest) }
            let total = weights.reduce(0, +)
            for x in 0..<d {
                let expected = (0..<tokens).reduce(0.0) { sum, j in
                    sum + weights[j] / total * Double(qkv[j * stride + 2 * hidden + head * d + x])
                }
                let actual = context[i * contextStride + head * d + x]
                #expect(actual.isFinite, "token \(i), lane \(x) not written")
                worst = max(worst, abs(Double(actual) - expected))
            }
        }
        #expect(worst < 1e-5, "\(tokens) tokens: off by \(worst)")
        // Only this head's columns are written: the neighbours' stay untouched.
        let outside = (0..<tokens).flatMap { i in
            (0..<contextStride).filter { !($0 >= head * d && $0 < (head + 1) * d) }.map { context[i * contextStride + $0] }
        }
        #expect(outside.allSatisfy { $0.isNaN })
    }
}
