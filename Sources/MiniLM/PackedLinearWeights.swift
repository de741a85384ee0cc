import MiniLMKernels

/// A dense layer's weight matrix packed once, at load, into panels of 32 outputs for the AVX-512 kernel in
/// `MiniLMKernels` (OpenBLAS's sgemm packs its operands again on every call).
struct PackedLinearWeights: Sendable {
    let outputs: Int
    let inputs: Int
    /// The memory holding the packed floats (one block for all of an encoder's matrices).
    let storage: PackedStorage
    /// Where this matrix's floats start in `storage`.
    let offset: Int

    /// Outputs per panel.
    static let panelOutputs = Int(MINILM_PANEL_OUTPUTS)

    /// Packs `weight` (`[outputs, inputs]`, PyTorch's layout) into storage of its own.
    init(_ weight: [Float], outputs: Int, inputs: Int) {
        self.init(weight, outputs: outputs, inputs: inputs,
                  storage: PackedStorage(count: Self.count(outputs: outputs, inputs: inputs)), offset: 0)
    }

    /// Packs `weight` (`[outputs, inputs]`) into `storage` from `offset` on (`count(outputs:inputs:)` floats).
    init(_ weight: [Float], outputs: Int, inputs: Int, storage: PackedStorage, offset: Int) {
        precondition(weight.count == outputs * inputs, "weight shape")
        precondition(offset >= 0 && offset + Self.count(outputs: outputs, inputs: inputs) <= storage.count,
                     "packed storage too small")
        self.outputs = outputs
        self.inputs = inputs
        self.storage = storage
        self.offset = offset
        weight.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { minilm_pack(from, Int32(outputs), Int32(inputs), storage.base + offset) }
        }
    }

    /// The floats a packed `[outputs, inputs]` matrix takes.
    static func count(outputs: Int, inputs: Int) -> Int { minilm_packed_count(Int32(outputs), Int32(inputs)) }

    /// The first packed float.
    var base: UnsafePointer<Float> { UnsafePointer(storage.base + offset) }

    /// The number of 32-output panels.
    var panels: Int { (outputs + Self.panelOutputs - 1) / Self.panelOutputs }

    /// Whether this CPU runs the packed kernel (x86-64 with AVX-512F).
    static let supported: Bool = minilm_packed_supported() == 1
}

/// Memory for packed weights (`minilm_alloc_packed`: 2 MiB-aligned, on transparent huge pages where the system
/// allows, since every forward pass streams all of it). `@unchecked Sendable`: written only while the encoder is
/// built, read-only afterwards.
final class PackedStorage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        guard let memory = minilm_alloc_packed(count) else { fatalError("out of memory for \(count) packed weights") }
        base = memory
        self.count = count
    }

    deinit { minilm_free_packed(base) }
}

/// One layer's four dense weight matrices, packed.
struct PackedLayer: Sendable {
    let qkv: PackedLinearWeights
    let attentionOut: PackedLinearWeights
    let intermediate: PackedLinearWeights
    let output: PackedLinearWeights

    /// The four matrices' shapes, `(outputs, inputs)`, in order.
    static func shapes(_ shape: MiniLMWeights.Shape) -> [(outputs: Int, inputs: Int)] {
        let h = shape.hidden
        return [(3 * h, h), (h, h), (shape.intermediate, h), (h, shape.intermediate)]
    }

    /// The floats one layer takes in storage: its four matrices, each starting on a 64-byte boundary.
    static func count(_ shape: MiniLMWeights.Shape) -> Int { shapes(shape).reduce(0) { $0 + slot($1) } }

    /// The floats a matrix of `size` occupies in storage: its packed count rounded up to 16 floats (64 bytes), so
    /// the next matrix starts on a cache line.
    static func slot(_ size: (outputs: Int, inputs: Int)) -> Int {
        (PackedLinearWeights.count(outputs: size.outputs, inputs: size.inputs) + 15) / 16 * 16
    }

    /// Packs `layer` into `storage` from `offset` on (`count(shape)` floats).
    init(_ layer: MiniLMWeights.Layer, shape: MiniLMWeights.Shape, storage: PackedStorage, offset: Int) {
        var next = offset
        func pack(_ weight: [Float], _ size: (outputs: Int, inputs: Int)) -> PackedLinearWeights {
            let packed = PackedLinearWeights(weight, outputs: size.outputs, inputs: size.inputs, storage: storage,
                                             offset: next)
            next += Self.slot(size)
            return packed
        }
        let shapes = Self.shapes(shape)
        qkv = pack(layer.qkvWeight, shapes[0])
        attentionOut = pack(layer.attentionOutWeight, shapes[1])
        intermediate = pack(layer.intermediateWeight, shapes[2])
        output = pack(layer.outputWeight, shapes[3])
    }
}
