import PipsightCore

/// The weights of all-MiniLM-L6-v2 (a 6-layer, 384-wide, 12-head BERT), read from its safetensors file and
/// checked for shape. Linear weights keep PyTorch's `[out, in]` layout; query, key and value are stacked into
/// one `[1152, 384]` matrix so a layer projects them with one sgemm.
public struct MiniLMWeights: Sendable {
    /// Sizes of the model; `standard` is all-MiniLM-L6-v2's.
    public struct Shape: Sendable, Hashable {
        public var vocabulary = 30522
        public var positions = 512
        public var hidden = 384
        public var heads = 12
        public var intermediate = 1536
        public var layers = 6
        public var layerNormEpsilon: Float = 1e-12

        public static let standard = Shape()
        public var headSize: Int { hidden / heads }
    }

    /// One transformer layer.
    public struct Layer: Sendable {
        var qkvWeight: [Float]  // [3*hidden, hidden]
        var qkvBias: [Float]  // [3*hidden]
        var attentionOutWeight: [Float]  // [hidden, hidden]
        var attentionOutBias: [Float]
        var attentionNormWeight: [Float]
        var attentionNormBias: [Float]
        var intermediateWeight: [Float]  // [intermediate, hidden]
        var intermediateBias: [Float]
        var outputWeight: [Float]  // [hidden, intermediate]
        var outputBias: [Float]
        var outputNormWeight: [Float]
        var outputNormBias: [Float]
    }

    public let shape: Shape
    var wordEmbeddings: [Float]  // [vocabulary, hidden]
    var positionEmbeddings: [Float]  // [positions, hidden]
    var tokenTypeEmbedding: [Float]  // row 0 of [2, hidden]
    var embeddingNormWeight: [Float]
    var embeddingNormBias: [Float]
    var layers: [Layer]

    /// Reads every tensor the encoder uses from `file` (the pooler is not used: sentence embeddings are the mean
    /// of the last hidden states).
    public init(file: SafetensorsFile, shape: Shape = .standard) throws {
        self.shape = shape
        let h = shape.hidden
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: [shape.vocabulary, h])
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [shape.positions, h])
        tokenTypeEmbedding = Array(try file.floats("embeddings.token_type_embeddings.weight", shape: [2, h]).prefix(h))
        embeddingNormWeight = try file.floats("embeddings.LayerNorm.weight", shape: [h])
        embeddingNormBias = try file.floats("embeddings.LayerNorm.bias", shape: [h])
        layers = try (0..<shape.layers).map { index in
            let p = "encoder.layer.\(index)."
            func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> [Float] {
                try file.floats(p + name + ".weight", shape: [rows, columns])
            }
            func vector(_ name: String, _ count: Int) throws -> [Float] { try file.floats(p + name, shape: [count]) }
            return Layer(
                qkvWeight: try matrix("attention.self.query", h, h) + matrix("attention.self.key", h, h)
                    + matrix("attention.self.value", h, h),
                qkvBias: try vector("attention.self.query.bias", h) + vector("attention.self.key.bias", h)
                    + vector("attention.self.value.bias", h),
                attentionOutWeight: try matrix("attention.output.dense", h, h),
                attentionOutBias: try vector("attention.output.dense.bias", h),
                attentionNormWeight: try vector("attention.output.LayerNorm.weight", h),
                attentionNormBias: try vector("attention.output.LayerNorm.bias", h),
                intermediateWeight: try matrix("intermediate.dense", shape.intermediate, h),
                intermediateBias: try vector("intermediate.dense.bias", shape.intermediate),
                outputWeight: try matrix("output.dense", h, shape.intermediate),
                outputBias: try vector("output.dense.bias", h),
                outputNormWeight: try vector("output.LayerNorm.weight", h),
                outputNormBias: try vector("output.LayerNorm.bias", h))
        }
    }
}

extension MiniLMWeights {
    /// Whether every layer still holds its four dense matrices (`withoutDenseMatrices` empties them).
    var hasDenseMatrices: Bool {
        layers.allSatisfy { !$0.qkvWeight.isEmpty && !$0.attentionOutWeight.isEmpty && !$0.intermediateWeight.isEmpty
            && !$0.outputWeight.isEmpty }
    }

    /// A copy without the layers' four dense matrices (biases, LayerNorms and embeddings kept): what a packed
    /// encoder keeps, so that the 42 MiB of dense weights are not held twice.
    func withoutDenseMatrices() -> MiniLMWeights {
        var copy = self
        for index in copy.layers.indices {
            copy.layers[index].qkvWeight = []
            copy.layers[index].attentionOutWeight = []
            copy.layers[index].intermediateWeight = []
            copy.layers[index].outputWeight = []
        }
        return copy
    }
}
