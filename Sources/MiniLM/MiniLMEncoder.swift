import CBLAS
import Foundation
import MiniLMKernels

/// The forward pass of all-MiniLM-L6-v2: token + position + type embeddings and LayerNorm, six layers of 12-head
/// self-attention and a GELU (erf) feed-forward block (post-LayerNorm, epsilon 1e-12), then mean pooling over the
/// real tokens and L2 normalisation. The dense layers run on `kernel`; attention's two small products per head on
/// the same panel kernels with `.packed` (`minilm_attention_head`), on OpenBLAS with `.blas`.
///
/// A batch is packed: the token rows of all texts lie one after another (no padding rows), every dense layer is one
/// product over all rows of the batch (split over `threads`), and attention is computed per text and head over that text's own rows only,
/// which is exactly what a padding mask does (a padded key gets weight zero) without computing the padding.
/// So a text's vector does not depend on what else is in its batch (up to floating-point summation order).
public struct MiniLMEncoder: Sendable {
    /// The model's weights; with `Kernel.packed` without the layers' dense matrices, which `packedLayers` holds.
    let weights: MiniLMWeights
    /// Threads one forward pass runs on (at least 1). OpenBLAS itself is made single-threaded: the encoder splits
    /// every dense layer into parts (`.packed`: one per 32-output panel and L2 chunk of rows; `.blas`: `threads`
    /// blocks of output columns, or of rows when there are more rows than columns), attention into (text, head)
    /// pairs and the row-wise loops into row ranges, and runs them on its own worker threads
    /// (`MiniLMThreadPool`), so small products (32 rows) pay no OpenBLAS thread hand-off and no thread wake-up.
    /// A batch with enough texts runs them side by side instead (`encode`).
    public var threads: Int { pool.threads }
    /// The encoder's worker threads, shared by its copies (`serialCopy` replaces them).
    var pool: MiniLMThreadPool
    /// The dense layers' kernel this encoder runs.
    public let kernel: Kernel
    /// Each layer's dense weights packed for `Kernel.packed`; empty with `.blas`.
    let packedLayers: [PackedLayer]

    /// How the dense layers (Q/K/V, attention output, the two feed-forward products) are computed. Both give the
    /// same vectors up to floating-point summation order.
    public enum Kernel: String, Sendable, CaseIterable {
        /// OpenBLAS sgemm, which packs the weight matrix again on every call.
        case blas
        /// Weights packed once at load into 32-output panels and an AVX-512 register-blocked kernel
        /// (`MiniLMKernels`): 1.1-1.5× OpenBLAS's rate on these shapes, most for the 32-row products of one short
        /// text. Needs x86-64 with AVX-512F.
        case packed

        /// `.packed` where the CPU has AVX-512F, else `.blas`.
        public static var automatic: Kernel { PackedLinearWeights.supported ? .packed : .blas }
    }

    /// The number of cores this process may use.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// An encoder over `weights` (as read from the model file) on `threads` threads. `kernel` `.packed` on a CPU
    /// without AVX-512F falls back to `.blas`. With `.packed` the dense matrices are kept packed only.
    public init(weights: MiniLMWeights, threads: Int = MiniLMEncoder.defaultThreads, kernel: Kernel = .automatic) {
        precondition(weights.hasDenseMatrices, "MiniLMEncoder needs the weights as read from the model file")
        pool = MiniLMThreadPool(threads: threads)
        self.kernel = kernel == .packed && PackedLinearWeights.supported ? .packed : .blas
        if self.kernel == .packed {
            // All six layers in one block of memory (huge pages where the system allows: `PackedStorage`).
            let perLayer = PackedLayer.count(weights.shape)
            let storage = PackedStorage(count: perLayer * weights.layers.count)
            packedLayers = weights.layers.enumerated().map { index, layer in
                PackedLayer(layer, shape: weights.shape, storage: storage, offset: index * perLayer)
            }
            self.weights = weights.withoutDenseMatrices()
        } else {
            packedLayers = []
            self.weights = weights
        }
        MiniLMBLAS.ensureSingleThreaded()
    }

    /// The unit-length sentence vectors of token sequences (each `[CLS] … [SEP]`, at most `positions` long).
    /// A batch with enough texts for every thread runs its texts side by side, one group per thread at a time
    /// (`encodeSideBySide`); a smaller one runs as one forward pass split across the threads.
    public func encode(_ sequences: [[Int32]]) -> [[Float]] {
        if threads > 1 {
            let groups = Self.groups(of: sequences.map { min($0.count, weights.shape.positions) },
                                     rows: Self.groupRows)
            if groups.count >= Self.groupsPerThread * threads { return encodeSideBySide(sequences, groups: groups) }
        }
        return encodeTogether(sequences)
    }

    /// One forward pass over all of `sequences`, every step split across the threads.
    func encodeTogether(_ sequences: [[Int32]]) -> [[Float]] {
        let shape = weights.shape
        let h = shape.hidden
        let lengths = sequences.map { min($0.count, shape.positions) }
        var starts: [Int] = []
        var total = 0
        for length in lengths {
            starts.append(total)
            total += length
        }
        guard total > 0 else { return sequences.map { _ in [Float](repeating: 0, count: h) } }
        var hidden = [Float](repeating: 0, count: total * h)
        embed(sequences, into: &hidden)
        var scratch = Scratch(rows: total, shape: shape, longest: lengths.max() ?? 0, threads: threads)
        hidden.withUnsafeMutableBufferPointer { hiddenBuffer in
            guard let hiddenBase = hiddenBuffer.baseAddress else { return }
            scratch.withPointers { pointers in
                for (index, layer) in weights.layers.enumerated() {
                    forward(layer, packed: index < packedLayers.count ? packedLayers[index] : nil, hidden: hiddenBase,
                            rows: total, starts: starts, lengths: lengths, scratch: pointers)
                }
            }
        }
        return sequences.indices.map { index in meanPool(hidden, start: starts[index], length: lengths[index]) }
    }

    /// Buffers reused by every layer of one batch.
    struct Scratch {
        var qkv: [Float]
        var context: [Float]
        var projected: [Float]
        var intermediate: [Float]
        /// One `longest × longest` score matrix per thread.
        var scores: [Float]
        let scoreStride: Int
        /// One packed Kᵀ per thread (`minilm_attention_head`'s scratch).
        var keys: [Float]
        let keyStride: Int

        /// `@unchecked Sendable`: shared by the threads of one forward pass, which write disjoint blocks only
        /// (their own output columns or rows, their own thread's score matrix), and read after the pool's run returns.
        struct Pointers: @unchecked Sendable {
            var qkv: UnsafeMutablePointer<Float>
            var context: UnsafeMutablePointer<Float>
            var projected: UnsafeMutablePointer<Float>
            var intermediate: UnsafeMutablePointer<Float>
            var scores: UnsafeMutablePointer<Float>
            var scoreStride: Int
            var keys: UnsafeMutablePointer<Float>
            var keyStride: Int
        }

        init(rows: Int, shape: MiniLMWeights.Shape, longest: Int, threads: Int) {
            // Not zeroed: every layer writes each buffer whole before it reads it (zeroing them was a serial
            // memset on every call).
            qkv = Self.unzeroed(rows * 3 * shape.hidden)
            context = Self.unzeroed(rows * shape.hidden)
            projected = Self.unzeroed(rows * shape.hidden)
            intermediate = Self.unzeroed(rows * shape.intermediate)
            scoreStride = max(1, longest * longest)
            scores = Self.unzeroed(scoreStride * threads)
            keyStride = max(1, minilm_attention_keys_count(Int32(longest)))
            keys = Self.unzeroed(keyStride * threads)
        }

        /// `count` floats of whatever the allocator returned.
        private static func unzeroed(_ count: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
        }

        mutating func withPointers(_ body: (Pointers) -> Void) {
            let stride = scoreStride, keyStride = keyStride
            qkv.withUnsafeMutableBufferPointer { qkv in
                context.withUnsafeMutableBufferPointer { context in
                    projected.withUnsafeMutableBufferPointer { projected in
                        intermediate.withUnsafeMutableBufferPointer { intermediate in
                            scores.withUnsafeMutableBufferPointer { scores in
                                keys.withUnsafeMutableBufferPointer { keys in
                                    guard let q = qkv.baseAddress, let c = context.baseAddress,
                                          let p = projected.baseAddress, let i = intermediate.baseAddress,
                                          let s = scores.baseAddress, let k = keys.baseAddress else { return }
                                    body(Pointers(qkv: q, context: c, projected: p, intermediate: i, scores: s,
                                                  scoreStride: stride, keys: k, keyStride: keyStride))
                                }
                            }
                        }
                    }
                }
            }
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
            guard let base = out.baseAddress else { return }
            weights.embeddingNormWeight.withUnsafeBufferPointer { g in
                weights.embeddingNormBias.withUnsafeBufferPointer { b in
                    guard let gain = g.baseAddress, let bias = b.baseAddress else { return }
                    Self.layerNorm(base, residual: nil, rows: out.count / h, width: h, weight: gain, bias: bias,
                                   epsilon: shape.layerNormEpsilon, vectorised: kernel == .packed)
                }
            }
        }
    }

    /// Runs `work(part)` for `part` in `0..<threads`, concurrently when there are several threads.
    @inline(__always)
    private func parallel(_ work: @Sendable (Int) -> Void) {
        pool.run(parts: threads) { part, _ in work(part) }
    }

    private func forward(_ layer: MiniLMWeights.Layer, packed: PackedLayer?, hidden: UnsafeMutablePointer<Float>, rows: Int, starts: [Int],
                         lengths: [Int], scratch: Scratch.Pointers) {
        let shape = weights.shape
        let h = shape.hidden
        let width = 3 * h
        let epsilon = shape.layerNormEpsilon
        // Q, K and V of every row at once: [rows, 3h] = hidden [rows, h] × qkvWeightᵀ + bias.
        layer.qkvWeight.withUnsafeBufferPointer { w in
            layer.qkvBias.withUnsafeBufferPointer { b in
                linear(hidden, rows: rows, inputs: h, weight: w, packed: packed?.qkv, bias: b, outputs: width, into: scratch.qkv, gelu: false)
            }
        }
        attention(starts: starts, lengths: lengths, scratch: scratch)
        // Attention output, residual, LayerNorm.
        layer.attentionOutWeight.withUnsafeBufferPointer { w in
            layer.attentionOutBias.withUnsafeBufferPointer { b in
                linear(scratch.context, rows: rows, inputs: h, weight: w, packed: packed?.attentionOut, bias: b, outputs: h, into: scratch.projected,
                       gelu: false)
            }
        }
        layer.attentionNormWeight.withUnsafeBufferPointer { g in
            layer.attentionNormBias.withUnsafeBufferPointer { b in
                residualLayerNorm(hidden, adding: scratch.projected, rows: rows, width: h, weight: g, bias: b,
                                  epsilon: epsilon)
            }
        }
        // Feed-forward: GELU(hidden W1ᵀ + b1) W2ᵀ + b2, residual, LayerNorm.
        layer.intermediateWeight.withUnsafeBufferPointer { w in
            layer.intermediateBias.withUnsafeBufferPointer { b in
                linear(hidden, rows: rows, inputs: h, weight: w, packed: packed?.intermediate, bias: b, outputs: shape.intermediate,
                       into: scratch.intermediate, gelu: true)
            }
        }
        layer.outputWeight.withUnsafeBufferPointer { w in
            layer.outputBias.withUnsafeBufferPointer { b in
                linear(scratch.intermediate, rows: rows, inputs: shape.intermediate, weight: w, packed: packed?.output, bias: b, outputs: h,
                       into: scratch.projected, gelu: false)
            }
        }
        layer.outputNormWeight.withUnsafeBufferPointer { g in
            layer.outputNormBias.withUnsafeBufferPointer { b in
                residualLayerNorm(hidden, adding: scratch.projected, rows: rows, width: h, weight: g, bias: b,
                                  epsilon: epsilon)
            }
        }
    }

    /// Self-attention of every text and head over that text's own rows (the padding mask), into `scratch.context`.
    /// Each (text, head) pair is one part, taken by whichever thread is free, on that thread's own score matrix.
    private func attention(starts: [Int], lengths: [Int], scratch: Scratch.Pointers) {
        let shape = weights.shape
        let h = shape.hidden
        let width = 3 * h
        let headSize = shape.headSize
        let heads = shape.heads
        let scale = 1 / Float(headSize).squareRoot()
        let texts = lengths.count
        let pairs = texts * heads
        let vectorised = kernel == .packed
        // The packed kernel's attention (`minilm_attention_head`) is written for this model's head size.
        let panelAttention = vectorised && headSize == Int(MINILM_HEAD_SIZE)
        pool.run(parts: pairs) { pair, thread in
            let qkv = scratch.qkv, context = scratch.context
            let scores = scratch.scores + thread * scratch.scoreStride
            let keys = scratch.keys + thread * scratch.keyStride
            let text = pair / heads, head = pair % heads
            let length = lengths[text], start = starts[text]
            guard length > 0 else { return }
            let n = Int32(length)
            let q = qkv + start * width + head * headSize
            let k = q + h
            let v = q + 2 * h
            if panelAttention {
                minilm_attention_head(q, k, v, n, Int32(width), scale, keys, scores,
                                      context + start * h + head * headSize, Int32(h))
                return
            }
            // scores [n, n] = Q Kᵀ / √d over this text's own keys only (the padding mask).
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(headSize), scale,
                        q, Int32(width), k, Int32(width), 0, scores, n)
            Self.softmaxRows(scores, rows: length, vectorised: vectorised)
            // context rows of this head = softmax(scores) × V.
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(headSize), n, 1,
                        scores, n, v, Int32(width), 0, context + start * h + head * headSize, Int32(h))
        }
    }

    /// out [rows, outputs] = input [rows, inputs] × weightᵀ + bias (weight is `[outputs, inputs]`), then GELU when
    /// asked, split into `threads` blocks of output columns (or of rows, when rows outnumber columns).
    private func linear(_ input: UnsafeMutablePointer<Float>, rows: Int, inputs: Int, weight: UnsafeBufferPointer<Float>,
                        packed: PackedLinearWeights?, bias: UnsafeBufferPointer<Float>, outputs: Int,
                        into out: UnsafeMutablePointer<Float>, gelu: Bool) {
        if let packed {
            // `weight` is empty here: a packed encoder keeps its dense matrices packed only.
            if let b = bias.baseAddress { packed.apply(input, rows: rows, bias: b, into: out, gelu: gelu, pool: pool) }
            return
        }
        guard let w = weight.baseAddress, let b = bias.baseAddress else { return }
        let blocks = BlockPointers(input: input, weight: w, bias: b, out: out)
        let byRows = rows > outputs
        // Column blocks are whole multiples of 16 floats (one AVX-512 register) where possible.
        let step = byRows ? (rows + threads - 1) / threads : ((outputs + threads - 1) / threads + 15) / 16 * 16
        parallel { part in
            let r0 = byRows ? min(rows, part * step) : 0, r1 = byRows ? min(rows, r0 + step) : rows
            let c0 = byRows ? 0 : min(outputs, part * step), c1 = byRows ? outputs : min(outputs, c0 + step)
            guard r1 > r0, c1 > c0 else { return }
            Self.linearBlock(blocks.input, rows: r0..<r1, columns: c0..<c1, inputs: inputs, weight: blocks.weight,
                             bias: blocks.bias, outputs: outputs, into: blocks.out, gelu: gelu)
        }
    }

    private func residualLayerNorm(_ values: UnsafeMutablePointer<Float>, adding other: UnsafeMutablePointer<Float>,
                                   rows: Int, width: Int, weight: UnsafeBufferPointer<Float>,
                                   bias: UnsafeBufferPointer<Float>, epsilon: Float) {
        guard let g = weight.baseAddress, let b = bias.baseAddress else { return }
        let blocks = BlockPointers(input: other, weight: g, bias: b, out: values)
        // Row-wise work is cheap: split it only when there are enough rows to pay for the hand-off (a microsecond
        // on the encoder's spinning workers).
        let parts = rows >= 16 ? threads : 1
        let step = (rows + parts - 1) / parts
        let vectorised = kernel == .packed
        pool.run(parts: parts) { part, _ in
            let r0 = min(rows, part * step), r1 = min(rows, r0 + step)
            guard r1 > r0 else { return }
            Self.layerNorm(blocks.out + r0 * width, residual: blocks.input + r0 * width, rows: r1 - r0, width: width,
                           weight: blocks.weight, bias: blocks.bias, epsilon: epsilon, vectorised: vectorised)
        }
    }

    /// The mean of a text's rows, scaled to unit length.
    private func meanPool(_ hidden: [Float], start: Int, length: Int) -> [Float] {
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

    /// One block of `linear`: rows `rows`, output columns `columns`.
    static func linearBlock(_ input: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>, inputs: Int,
                            weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, outputs: Int,
                            into out: UnsafeMutablePointer<Float>, gelu: Bool) {
        let count = columns.count
        for row in rows { (out + row * outputs + columns.lowerBound).update(from: bias + columns.lowerBound, count: count) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(count), Int32(inputs), 1,
                    input + rows.lowerBound * inputs, Int32(inputs), weight + columns.lowerBound * inputs, Int32(inputs),
                    1, out + rows.lowerBound * outputs + columns.lowerBound, Int32(outputs))
        if gelu {
            for row in rows { Self.gelu(out + row * outputs + columns.lowerBound, count: count) }
        }
    }

    /// LayerNorm of `rows` rows of `width` values in place, after adding `residual` when given; `vectorised`:
    /// `MiniLMKernels`' AVX-512 version (only where `PackedLinearWeights.supported`).
    static func layerNorm(_ v: UnsafeMutablePointer<Float>, residual: UnsafeMutablePointer<Float>?, rows: Int, width: Int,
                          weight g: UnsafePointer<Float>, bias b: UnsafePointer<Float>, epsilon: Float,
                          vectorised: Bool = false) {
        if vectorised {
            minilm_layer_norm(v, residual, Int32(rows), Int32(width), g, b, epsilon)
            return
        }
        for row in 0..<rows {
            let base = row * width
            if let residual {
                for i in 0..<width { v[base + i] += residual[base + i] }
            }
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
    static func gelu(_ v: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRoot2: Float = 0.707_106_781_186_547_5
        for i in 0..<count {
            let x = v[i]
            v[i] = 0.5 * x * (1 + erf(x * inverseRoot2))
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

/// The operands of one blocked operation, shared by the threads of a forward pass.
/// `@unchecked Sendable`: each thread writes only its own block of `out` (disjoint rows or columns) and reads the
/// rest, and everything is read again only after the pool's run has returned.
struct BlockPointers: @unchecked Sendable {
    let input: UnsafeMutablePointer<Float>
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
}

/// OpenBLAS made single-threaded once per process: `MiniLMEncoder` runs its own threads (VectorStore does the same).
enum MiniLMBLAS {
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    static func ensureSingleThreaded() { _ = configured }
}
