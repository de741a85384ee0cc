import MiniLMKernels

/// A dense layer's weight matrix packed once, at load, into panels of 32 outputs for the AVX-512 kernel in
/// `MiniLMKernels` (OpenBLAS's sgemm packs its operands again on every call).
struct PackedLinearWeights: Sendable {
    let outputs: Int
    let inputs: Int
    let values: [Float]

    /// Outputs per panel.
    static let panelOutputs = Int(MINILM_PANEL_OUTPUTS)

    /// Packs `weight` (`[outputs, inputs]`, PyTorch's layout).
    init(_ weight: [Float], outputs: Int, inputs: Int) {
        precondition(weight.count == outputs * inputs, "weight shape")
        self.outputs = outputs
        self.inputs = inputs
        let count = minilm_packed_count(Int32(outputs), Int32(inputs))
        values = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            weight.withUnsafeBufferPointer { source in
                if let from = source.baseAddress, let to = buffer.baseAddress {
                    minilm_pack(from, Int32(outputs), Int32(inputs), to)
                }
            }
            initialised = count
        }
    }

    /// The number of 32-output panels.
    var panels: Int { (outputs + Self.panelOutputs - 1) / Self.panelOutputs }

    /// Whether this CPU runs the packed kernel (x86-64 with AVX-512F).
    static let supported: Bool = minilm_packed_supported() == 1
}

/// One layer's four dense weight matrices, packed.
struct PackedLayer: Sendable {
    let qkv: PackedLinearWeights
    let attentionOut: PackedLinearWeights
    let intermediate: PackedLinearWeights
    let output: PackedLinearWeights

    init(_ layer: MiniLMWeights.Layer, shape: MiniLMWeights.Shape) {
        let h = shape.hidden
        qkv = PackedLinearWeights(layer.qkvWeight, outputs: 3 * h, inputs: h)
        attentionOut = PackedLinearWeights(layer.attentionOutWeight, outputs: h, inputs: h)
        intermediate = PackedLinearWeights(layer.intermediateWeight, outputs: shape.intermediate, inputs: h)
        output = PackedLinearWeights(layer.outputWeight, outputs: h, inputs: shape.intermediate)
    }
}
