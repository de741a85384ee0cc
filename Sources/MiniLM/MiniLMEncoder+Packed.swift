import MiniLMKernels

extension PackedLinearWeights {
    /// out [rows, outputs] = input [rows, inputs] × weightᵀ + bias, then GELU (erf) when asked, on `pool`'s
    /// threads. The 32-output panels are dealt out to the threads in contiguous runs; each thread computes every
    /// row of its own panels, GELU applied in registers before the store. Only where `supported`.
    func apply(_ input: UnsafePointer<Float>, rows: Int, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
               gelu: Bool, pool: MiniLMThreadPool) {
        let operands = PackedOperands(input: input, bias: bias, out: out)
        let parts = max(1, min(pool.threads, panels))
        let step = (panels + parts - 1) / parts
        let run = { @Sendable (part: Int) in
            let first = min(panels, part * step), end = min(panels, first + step)
            guard end > first else { return }
            values.withUnsafeBufferPointer { values in
                guard let packed = values.baseAddress else { return }
                minilm_packed_linear(operands.input, Int32(rows), Int32(inputs), packed, Int32(outputs),
                                     operands.bias, operands.out, Int32(outputs), Int32(first), Int32(end), gelu ? 1 : 0)
            }
        }
        pool.run(parts: parts, run)
    }
}

extension MiniLMEncoder {
    /// This core's float32 multiply-add peak with AVX-512, measured (GFLOP per CPU-second; takes about a second);
    /// nil without AVX-512F. No float32 forward pass runs faster on one core.
    public static func measuredPeakGFLOPS() -> Double? {
        let rate = minilm_fma_peak_gflops()
        return rate > 0 ? rate : nil
    }

    /// Row-wise softmax of a `rows × rows` matrix in place; `vectorised`: `MiniLMKernels`' AVX-512 version (only
    /// where `PackedLinearWeights.supported`).
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, vectorised: Bool) {
        if vectorised {
            minilm_softmax_rows(scores, Int32(rows), Int32(rows))
        } else {
            softmaxRows(scores, rows: rows)
        }
    }
}

/// The pointers of one packed product, shared by its threads. `@unchecked Sendable`: each thread writes only its
/// own output columns, and the output is read only after the pool's run has returned.
struct PackedOperands: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
}
