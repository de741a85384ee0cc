import Foundation
import MiniLMKernels
import Testing

@testable import MiniLM

/// The packed AVX-512 kernels (`MiniLMKernels`) against direct computations, on shapes the model does not have
/// (outputs not a multiple of 32, rows not a multiple of 12, widths not a multiple of 16), and the whole encoder
/// against its BLAS path.
@Suite("MiniLM packed kernels")
struct PackedKernelTests {
    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    /// The weights as read from the model file (a packed encoder keeps no dense matrices of its own).
    static func weights() throws -> MiniLMWeights {
        let model = try ModelFixture.model()
        return try MiniLMWeights(file: SafetensorsFile(path: model.directory.appendingPathComponent("model.safetensors").path))
    }

    @Test("the CPU check decides the automatic kernel; .packed falls back to .blas without AVX-512 and keeps the dense matrices packed only")
    func kernelChoice() throws {
        let weights = try Self.weights()
        let packed = MiniLMEncoder(weights: weights, threads: 1, kernel: .packed)
        #expect(MiniLMEncoder.Kernel.automatic == (PackedLinearWeights.supported ? .packed : .blas))
        #expect(packed.kernel == (PackedLinearWeights.supported ? .packed : .blas))
        #expect(packed.packedLayers.count == (PackedLinearWeights.supported ? 6 : 0))
        #expect(packed.weights.hasDenseMatrices == !PackedLinearWeights.supported)
        let blas = MiniLMEncoder(weights: weights, threads: 1, kernel: .blas)
        #expect(blas.packedLayers.isEmpty)
        #expect(blas.weights.hasDenseMatrices)
        #expect(!weights.withoutDenseMatrices().hasDenseMatrices)
    }

    @Test("a packed dense layer equals input × weightᵀ + bias, with and without GELU, on 1 and 3 threads",
          arguments: [1, 5, 12, 13, 30])
    func packedLinear(rows: Int) throws {
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: the BLAS path is the only one")
        checkPackedLinear(rows: rows, inputs: 19)
    }

    @Test("a product whose rows span several L2 chunks is split into (chunk, panel) parts and still whole")
    func severalRowChunks() throws {
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: the BLAS path is the only one")
        // 24,000 inputs: 12 rows per chunk, so 30 rows are three chunks (12, 12, 6).
        #expect(minilm_packed_chunk_rows(24_000) == 12)
        checkPackedLinear(rows: 30, inputs: 24_000)
    }

    /// A packed product of `rows` rows, 45 outputs (two panels, the second partial) and `inputs` inputs, with and
    /// without GELU, on 1 and 3 threads, against direct double products.
    func checkPackedLinear(rows: Int, inputs: Int) {
        let outputs = 45
        let weight = Self.values(outputs * inputs, seed: 1), bias = Self.values(outputs, seed: 2)
        let input = Self.values(rows * inputs, seed: UInt64(3 + rows))
        let packed = PackedLinearWeights(weight, outputs: outputs, inputs: inputs)
        #expect(packed.panels == 2)
        for gelu in [false, true] {
            for threads in [1, 3] {
                let pool = MiniLMThreadPool(threads: threads)
                var out = [Float](repeating: .nan, count: rows * outputs)
                input.withUnsafeBufferPointer { x in
                    bias.withUnsafeBufferPointer { b in
                        out.withUnsafeMutableBufferPointer { o in
                            guard let x = x.baseAddress, let b = b.baseAddress, let o = o.baseAddress else { return }
                            packed.apply(x, rows: rows, bias: b, into: o, gelu: gelu, pool: pool)
                        }
                    }
                }
                // Every output written (a row or column the kernel skipped would stay NaN, which `max` ignores).
                #expect(!out.contains { !$0.isFinite }, "rows \(rows), gelu \(gelu), threads \(threads): outputs not written")
                // Off by at most 2e-5 plus float32's summation bound, n · ε · Σ|xᵢ wᵢ| (which matters only for the
                // long products; a row or panel computed from the wrong data is off by far more).
                var worst: Double = 0
                for r in 0..<rows {
                    for c in 0..<outputs {
                        var sum = Double(bias[c]), magnitude = abs(Double(bias[c]))
                        for i in 0..<inputs {
                            let term = Double(input[r * inputs + i]) * Double(weight[c * inputs + i])
                            sum += term
                            magnitude += abs(term)
                        }
                        if gelu { sum = 0.5 * sum * (1 + Foundation.erf(sum / 2.0.squareRoot())) }
                        let bound = 2e-5 + Double(inputs) * Double(Float.ulpOfOne) * magnitude
                        worst = max(worst, abs(Double(out[r * outputs + c]) - sum) / bound)
                    }
                }
                #expect(worst < 1, "rows \(rows), gelu \(gelu), threads \(threads): off by \(worst) of the bound")
            }
        }
    }

    @Test("vectorised LayerNorm and softmax equal the scalar ones", arguments: [1, 17, 21, 128, 384])
    func rowKernels(width: Int) throws {
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: the scalar loops are the only ones")
        let rows = 3
        let gain = Self.values(width, seed: 5), bias = Self.values(width, seed: 6)
        let residual = Self.values(rows * width, seed: 7)
        for withResidual in [false, true] {
            var scalar = Self.values(rows * width, seed: 8).map { $0 * 4 }
            var vector = scalar
            var extra = residual
            extra.withUnsafeMutableBufferPointer { add in
                gain.withUnsafeBufferPointer { g in
                    bias.withUnsafeBufferPointer { b in
                        guard let add = add.baseAddress, let g = g.baseAddress, let b = b.baseAddress else { return }
                        for (values, vectorised) in [(0, false), (1, true)] {
                            let body = { (v: UnsafeMutablePointer<Float>) in
                                MiniLMEncoder.layerNorm(v, residual: withResidual ? add : nil, rows: rows, width: width,
                                                        weight: g, bias: b, epsilon: 1e-12, vectorised: vectorised)
                            }
                            if values == 0 {
                                scalar.withUnsafeMutableBufferPointer { if let v = $0.baseAddress { body(v) } }
                            } else {
                                vector.withUnsafeMutableBufferPointer { if let v = $0.baseAddress { body(v) } }
                            }
                        }
                    }
                }
            }
            let difference = MiniLMEmbeddingTests.maxDifference(scalar, vector)
            #expect(difference < 1e-5, "LayerNorm width \(width), residual \(withResidual): \(difference)")
        }
        // Softmax of a width × width matrix with a wide range of scores (exp underflows for some).
        var scalar = Self.values(width * width, seed: 9).map { $0 * 60 }
        var vector = scalar
        scalar.withUnsafeMutableBufferPointer { if let v = $0.baseAddress { MiniLMEncoder.softmaxRows(v, rows: width, vectorised: false) } }
        vector.withUnsafeMutableBufferPointer { if let v = $0.baseAddress { MiniLMEncoder.softmaxRows(v, rows: width, vectorised: true) } }
        let difference = MiniLMEmbeddingTests.maxDifference(scalar, vector)
        #expect(difference < 1e-6, "softmax width \(width): \(difference)")
        for row in 0..<width {
            let sum = vector[(row * width)..<((row + 1) * width)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
        }
    }

    @Test("packed weights share one 2 MiB-aligned block: each matrix on a 64-byte boundary, none overlapping")
    func packedStorageLayout() throws {
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: nothing is packed")
        let encoder = MiniLMEncoder(weights: try Self.weights(), threads: 1, kernel: .packed)
        let matrices = encoder.packedLayers.flatMap { [$0.qkv, $0.attentionOut, $0.intermediate, $0.output] }
        #expect(matrices.count == 24)
        let storage = try #require(matrices.first?.storage)
        #expect(UInt(bitPattern: storage.base) % (2 << 20) == 0)
        var end = 0
        for matrix in matrices {
            #expect(matrix.storage === storage)
            #expect(matrix.offset % 16 == 0)
            #expect(matrix.offset >= end, "matrix at \(matrix.offset) overlaps the one before (ends at \(end))")
            end = matrix.offset + PackedLinearWeights.count(outputs: matrix.outputs, inputs: matrix.inputs)
        }
        #expect(end <= storage.count)
    }

    @Test("the packed encoder gives the BLAS encoder's vectors")
    func packedEqualsBLAS() throws {
        let model = try ModelFixture.model()
        try #require(PackedLinearWeights.supported, "no AVX-512F on this CPU: the BLAS path is the only one")
        let texts = MiniLMEmbeddingTests.texts + ["", Array(repeating: "stop loss moved twice", count: 80).joined(separator: " ")]
        let sequences = texts.map(model.tokenizer.encode)
        let weights = try Self.weights()
        let blas = MiniLMEncoder(weights: weights, threads: 2, kernel: .blas).encode(sequences)
        let packed = MiniLMEncoder(weights: weights, threads: 2, kernel: .packed).encode(sequences)
        for (index, (a, b)) in zip(blas, packed).enumerated() {
            let difference = MiniLMEmbeddingTests.maxDifference(a, b)
            #expect(difference < 1e-5, "text \(index): BLAS and packed differ by \(difference)")
        }
    }
}
