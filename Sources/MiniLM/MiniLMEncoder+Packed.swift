import MiniLMKernels

extension PackedLinearWeights {
    /// out [rows, outputs] = input [rows, inputs] × weightᵀ + bias, then GELU (erf) when asked, on `pool`'s
    /// threads. Each part is one 32-output panel over one chunk of rows (`minilm_packed_chunk_rows`: inputs that
    /// fit L2; one text is one chunk), chunk by chunk, taken by whichever thread is free: a thread the system
    /// holds back delays the product by one part, not by half of it, and a chunk's rows stay in each core's L2
    /// while the panels pass over them. GELU is applied in registers before the store. Only where `supported`.
    func apply(_ input: UnsafePointer<Float>, rows: Int, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
               gelu: Bool, pool: MiniLMThreadPool) {
        let operands = PackedOperands(input: input, packed: base, bias: bias, out: out)
        let chunk = Int(minilm_packed_chunk_rows(Int32(inputs)))
        let chunks = max(1, (rows + chunk - 1) / chunk)
        let panels = self.panels, inputs = self.inputs, outputs = self.outputs
        // One thread: the whole product in one call (the kernel chunks the rows itself).
        let split = pool.threads > 1
        pool.run(parts: split ? chunks * panels : 1) { part, _ in
            let r0 = split ? part / panels * chunk : 0
            let r1 = split ? min(rows, r0 + chunk) : rows
            let first = split ? part % panels : 0, end = split ? first + 1 : panels
            minilm_packed_linear(operands.input + r0 * inputs, Int32(r1 - r0), Int32(inputs), operands.packed,
                                 Int32(outputs), operands.bias, operands.out + r0 * outputs, Int32(outputs),
                                 Int32(first), Int32(end), gelu ? 1 : 0)
        }
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
/// own output columns of `out`, reads the rest (input, packed weights, bias) only, and the output is read only
/// after the pool's run has returned.
struct PackedOperands: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let packed: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
}
