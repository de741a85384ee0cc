import CBLAS
import Foundation

/// The forward pass of all-MiniLM-L6-v2 on BLAS: token + position + type embeddings and LayerNorm, six layers of
/// 12-head self-attention and a GELU (erf) feed-forward block (post-LayerNorm, epsilon 1e-12), then mean pooling
/// over the real tokens and L2 normalisation.
///
/// A batch is packed: the token rows of all texts lie one after another (no padding rows), every dense layer is one
/// sgemm over all rows of the batch, and attention is computed per text and head over that text's own rows only,
/// which is exactly what a padding mask does (a padded key gets weight zero) without computing the padding.
/// So a text's vector does not depend on what else is in its batch (up to floating-point summation order).
public struct MiniLMEncoder: Sendable {
    public let weights: MiniLMWeights

    public init(weights: MiniLMWeights) {
        self.weights = weights
    }

    /// The unit-length sentence vectors of token sequences (each `[CLS] … [SEP]`, at most `positions` long).
    public func encode(_ sequences: [[Int32]]) -> [[Float]] {
        let shape = weights.shape
        let h = shape.hidden
        var starts: [Int] = []
        var total = 0
        for sequence in sequences {
            starts.append(total)
            total += min(sequence.count, shape.positions)
        }
        guard total > 0 else { return sequences.map { _ in [Float](repeating: 0, count: h) } }
        var hidden = [Float](repeating: 0, count: total * h)
        embed(sequences, into: &hidden)
        var scratch = Scratch(rows: total, shape: shape, longest: sequences.map(\.count).max() ?? 0)
        for layer in weights.layers {
            forward(layer, hidden: &hidden, starts: starts, lengths: sequences.map { min($0.count, shape.positions) },
                    scratch: &scratch)
        }
        return sequences.indices.map { index in
            pool(hidden, start: starts[index], length: min(sequences[index].count, shape.positions))
        }
    }

    /// Buffers reused by every layer of one batch.
    struct Scratch {
        var qkv: [Float]
        var context: [Float]
        var projected: [Float]
        var intermediate: [Float]
        var scores: [Float]

        init(rows: Int, shape: MiniLMWeights.Shape, longest: Int) {
            qkv = [Float](repeating: 0, count: rows * 3 * shape.hidden)
            context = [Float](repeating: 0, count: rows * shape.hidden)
            projected = [Float](repeating: 0, count: rows * shape.hidden)
            intermediate = [Float](repeating: 0, count: rows * shape.intermediate)
            scores = [Float](repeating: 0, count: max(1, longest * longest))
        }
    }

    private func embed(_ sequences: [[Int32]], into hidden: inout [Float]) {
        let shape = weights.shape
        let h = shape.hidden
        hidden.withUnsafeMutableBufferPointer { out in
            weights.wordEmbeddings.withUnsafeBufferPointer { words in
                weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                    weights.tokenTypeEmbedding.withUnsafeBufferPointer { type in
                        var row = 0
                        for sequence in sequences {
                            for (position, token) in sequence.prefix(shape.positions).enumerated() {
                                let id = Int(token) < shape.vocabulary && token >= 0 ? Int(token) : 0
                                let target = row * h
                                for i in 0..<h {
                                    out[target + i] = words[id * h + i] + positions[position * h + i] + type[i]
                                }
                                row += 1
                            }
                        }
                    }
                }
            }
        }
        Self.layerNorm(&hidden, rows: hidden.count / h, width: h, weight: weights.embeddingNormWeight,
                       bias: weights.embeddingNormBias, epsilon: shape.layerNormEpsilon)
    }

    private func forward(_ layer: MiniLMWeights.Layer, hidden: inout [Float], starts: [Int], lengths: [Int],
                         scratch: inout Scratch) {
        let shape = weights.shape
        let h = shape.hidden
        let rows = hidden.count / h
        let width = 3 * h
        // Q, K and V of every row at once: [rows, 3h] = hidden [rows, h] × qkvWeightᵀ + bias.
        Self.linear(hidden, rows: rows, inputs: h, weight: layer.qkvWeight, bias: layer.qkvBias, outputs: width,
                    into: &scratch.qkv)
        let headSize = shape.headSize
        let scale = 1 / Float(headSize).squareRoot()
        scratch.qkv.withUnsafeBufferPointer { qkv in
            scratch.scores.withUnsafeMutableBufferPointer { scores in
                scratch.context.withUnsafeMutableBufferPointer { context in
                    guard let qkvBase = qkv.baseAddress, let scoreBase = scores.baseAddress,
                          let contextBase = context.baseAddress else { return }
                    for (start, length) in zip(starts, lengths) where length > 0 {
                        let n = Int32(length)
                        for head in 0..<shape.heads {
                            let q = qkvBase + start * width + head * headSize
                            let k = q + h
                            let v = q + 2 * h
                            // scores [n, n] = Q Kᵀ / √d over this text's own keys only (the padding mask).
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(headSize), scale,
                                        q, Int32(width), k, Int32(width), 0, scoreBase, n)
                            Self.softmaxRows(scoreBase, rows: length)
                            // context rows of this head = softmax(scores) × V.
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(headSize), n, 1,
                                        scoreBase, n, v, Int32(width), 0,
                                        contextBase + start * h + head * headSize, Int32(h))
                        }
                    }
                }
            }
        }
        // Attention output, residual, LayerNorm.
        Self.linear(scratch.context, rows: rows, inputs: h, weight: layer.attentionOutWeight,
                    bias: layer.attentionOutBias, outputs: h, into: &scratch.projected)
        Self.addInPlace(&hidden, scratch.projected)
        Self.layerNorm(&hidden, rows: rows, width: h, weight: layer.attentionNormWeight,
                       bias: layer.attentionNormBias, epsilon: shape.layerNormEpsilon)
        // Feed-forward: GELU(hidden W1ᵀ + b1) W2ᵀ + b2, residual, LayerNorm.
        Self.linear(hidden, rows: rows, inputs: h, weight: layer.intermediateWeight, bias: layer.intermediateBias,
                    outputs: shape.intermediate, into: &scratch.intermediate)
        Self.gelu(&scratch.intermediate)
        Self.linear(scratch.intermediate, rows: rows, inputs: shape.intermediate, weight: layer.outputWeight,
                    bias: layer.outputBias, outputs: h, into: &scratch.projected)
        Self.addInPlace(&hidden, scratch.projected)
        Self.layerNorm(&hidden, rows: rows, width: h, weight: layer.outputNormWeight,
                       bias: layer.outputNormBias, epsilon: shape.layerNormEpsilon)
    }

    /// The mean of a text's rows, scaled to unit length.
    private func pool(_ hidden: [Float], start: Int, length: Int) -> [Float] {
        let h = weights.shape.hidden
        var sum = [Double](repeating: 0, count: h)
        guard length > 0 else { return [Float](repeating: 0, count: h) }
        hidden.withUnsafeBufferPointer { rows in
            for row in start..<(start + length) {
                for i in 0..<h { sum[i] += Double(rows[row * h + i]) }
            }
        }
        var norm = 0.0
        for i in 0..<h {
            sum[i] /= Double(length)
            norm += sum[i] * sum[i]
        }
        // sentence-transformers' Normalize divides by max(‖v‖, 1e-12).
        norm = max(norm.squareRoot(), 1e-12)
        return sum.map { Float($0 / norm) }
    }

    // MARK: - Kernels

    /// out [rows, outputs] = input [rows, inputs] × weightᵀ + bias (weight is `[outputs, inputs]`).
    static func linear(_ input: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int,
                       into out: inout [Float]) {
        out.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            bias.withUnsafeBufferPointer { b in
                guard let biasBase = b.baseAddress else { return }
                for row in 0..<rows { (base + row * outputs).update(from: biasBase, count: outputs) }
            }
            input.withUnsafeBufferPointer { a in
                weight.withUnsafeBufferPointer { w in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1,
                                a.baseAddress, Int32(inputs), w.baseAddress, Int32(inputs), 1, base, Int32(outputs))
                }
            }
        }
    }

    static func addInPlace(_ target: inout [Float], _ other: [Float]) {
        target.withUnsafeMutableBufferPointer { t in
            other.withUnsafeBufferPointer { o in
                for i in 0..<min(t.count, o.count) { t[i] += o[i] }
            }
        }
    }

    static func layerNorm(_ values: inout [Float], rows: Int, width: Int, weight: [Float], bias: [Float],
                          epsilon: Float) {
        values.withUnsafeMutableBufferPointer { v in
            weight.withUnsafeBufferPointer { g in
                bias.withUnsafeBufferPointer { b in
                    for row in 0..<rows {
                        let base = row * width
                        var mean: Float = 0
                        for i in 0..<width { mean += v[base + i] }
                        mean /= Float(width)
                        var variance: Float = 0
                        for i in 0..<width {
                            let d = v[base + i] - mean
                            variance += d * d
                        }
                        variance /= Float(width)
                        let inverse = 1 / (variance + epsilon).squareRoot()
                        for i in 0..<width { v[base + i] = (v[base + i] - mean) * inverse * g[i] + b[i] }
                    }
                }
            }
        }
    }

    /// Row-wise softmax of a `rows × rows` matrix, in place.
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int) {
        for row in 0..<rows {
            let r = scores + row * rows
            var largest = -Float.infinity
            for i in 0..<rows { largest = max(largest, r[i]) }
            var sum: Float = 0
            for i in 0..<rows {
                let e = expf(r[i] - largest)
                r[i] = e
                sum += e
            }
            let inverse = 1 / sum
            for i in 0..<rows { r[i] *= inverse }
        }
    }

    /// GELU with the exact error function, as BERT uses: x · ½ (1 + erf(x / √2)), with `erf` evaluated by a
    /// rational approximation that the compiler vectorises (within 4e-7 of erf everywhere; glibc's `erff`, one call
    /// per element, took an eighth of the whole forward pass).
    static func gelu(_ values: inout [Float]) {
        let inverseRoot2: Float = 0.707_106_781_186_547_5
        values.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count {
                let x = v[i]
                v[i] = 0.5 * x * (1 + erf(x * inverseRoot2))
            }
        }
    }

    /// erf(x) as x·P(x²)/Q(x²) on [-4, 4] (Eigen's `generic_fast_erf_float` coefficients; erf is ±1 in float32
    /// beyond). Maximum absolute error about 4e-7.
    @inline(__always)
    static func erf(_ value: Float) -> Float {
        let x = value > 4 ? 4 : (value < -4 ? -4 : value)
        let x2 = x * x
        var p: Float = -2.726_142_258_013_06e-10
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 - 2.101_024_020_825_08e-06
        p = p * x2 - 5.692_506_394_623_46e-05
        p = p * x2 - 7.349_906_303_268_55e-04
        p = p * x2 - 2.954_599_808_540_25e-03
        p = p * x2 - 1.609_603_332_624_15e-02
        var q: Float = -1.456_607_184_649_96e-05
        q = q * x2 - 2.133_740_552_789_05e-04
        q = q * x2 - 1.682_826_974_382_03e-03
        q = q * x2 - 7.373_329_167_204_68e-03
        q = q * x2 - 1.426_473_905_141_89e-02
        return x * p / q
    }
}
