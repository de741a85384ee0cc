import Foundation
import Logging
import PipsightCore

/// The `EmbeddingModel` port over Ollama's `/api/embed`, for one model described by a `ModelDescriptor`.
///
/// - Prefixes each text by purpose (`search_query: ` / `search_document: ` for nomic-embed-text).
/// - Sends `batchSize` texts a request, with `truncate: false` and `num_ctx` set to the descriptor's window.
/// - Long inputs: a text longer than the context (by the descriptor's cautious characters-per-token estimate) is
///   cut by `TextSplitter` into pieces that fit, each piece is embedded (with the prefix), and the text's vector
///   is the mean of its pieces' vectors weighted by their length, L2-normalised. If Ollama still says an input
///   is too long (the estimate was wrong for that text), that batch is re-sent one input at a time and an
///   input that is still too long is halved, and so on. No text is ever truncated silently.
/// - Checks one vector per text and the descriptor's dimension; returns unit vectors.
public struct OllamaEmbeddingModel: EmbeddingModel {
    public let client: OllamaClient
    public let descriptor: ModelDescriptor
    /// Texts (or pieces of long texts) per `/api/embed` request.
    public let batchSize: Int
    /// Ollama's `keep_alive` for these requests (`nil`: the client's configuration).
    public let keepAlive: String?

    public var modelName: String { descriptor.tag }
    public var dimension: Int { descriptor.dimension ?? 0 }
    /// The descriptor's window estimate for a document (with its prefix); longer texts are split and averaged.
    public var maxInputCharacters: Int? { descriptor.maxInputCharacters(prefixLength: descriptor.prefix(for: .document).count) }

    /// Fails with `configuration_error` unless `descriptor` is an embedding model with a dimension.
    public init(client: OllamaClient, descriptor: ModelDescriptor, batchSize: Int? = nil, keepAlive: String? = nil) throws {
        guard descriptor.kind == .embedding, let dimension = descriptor.dimension, dimension > 0 else {
            throw PipsightError(.configuration, "model '\(descriptor.tag)' is not described as an embedding model with a dimension")
        }
        self.client = client
        self.descriptor = descriptor
        self.batchSize = max(1, batchSize ?? client.configuration.embedBatchSize)
        self.keepAlive = keepAlive
    }

    /// The model named by the client's configuration, described by its `models/` folder.
    public init(client: OllamaClient) throws {
        let configuration = client.configuration
        try self.init(client: client,
                      descriptor: ModelDescriptor.load(tag: configuration.embeddingModel, from: configuration.modelsDirectory))
    }

    /// Loads the model into Ollama now (with the load timeout), so the first `embed` is fast.
    public func warmUp() async throws {
        try await client.warmUp(model: modelName, kind: .embedding)
    }

    public func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let prefix = descriptor.prefix(for: purpose)
        let limit = descriptor.maxInputCharacters(prefixLength: prefix.count)
        var pieces: [Piece] = []
        for (index, text) in texts.enumerated() {
            for part in TextSplitter.split(text, maxCharacters: limit) {
                pieces.append(Piece(owner: index, text: part))
            }
        }
        if pieces.count > texts.count {
            client.logger.debug("split long inputs to fit the context", metadata: [
                "ollama.model": "\(modelName)", "ollama.texts": "\(texts.count)", "ollama.pieces": "\(pieces.count)",
            ])
        }
        var vectors: [(owner: Int, weight: Float, vector: [Float])] = []
        vectors.reserveCapacity(pieces.count)
        var start = 0
        while start < pieces.count {
            let batch = Array(pieces[start..<min(start + batchSize, pieces.count)])
            vectors += try await embedBatch(batch, prefix: prefix)
            start += batch.count
        }
        var sums = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: texts.count)
        for (owner, weight, vector) in vectors {
            for index in 0..<dimension { sums[owner][index] += weight * vector[index] }
        }
        return try sums.enumerated().map { index, sum in
            try Self.normalised(sum, model: modelName, text: index)
        }
    }

    /// One part of one input text.
    struct Piece {
        var owner: Int
        var text: String
    }

    /// Embeds `batch`; on "input too long" re-sends it one piece at a time, halving any piece still too long.
    private func embedBatch(_ batch: [Piece], prefix: String) async throws -> [(owner: Int, weight: Float, vector: [Float])] {
        do {
            let answer = try await client.embed(
                model: modelName, inputs: batch.map { prefix + $0.text }, truncate: false, keepAlive: keepAlive,
                options: OllamaModelOptions(numCtx: descriptor.defaultContextTokens ?? descriptor.contextTokens))
            return try zip(batch, answer.embeddings).map { piece, vector in
                try checkDimension(vector)
                return (piece.owner, Float(max(1, piece.text.count)), Self.unit(vector))
            }
        } catch let error as PipsightError where error.code == .inputTooLong {
            if batch.count > 1 {
                var vectors: [(owner: Int, weight: Float, vector: [Float])] = []
                for piece in batch { vectors += try await embedBatch([piece], prefix: prefix) }
                return vectors
            }
            guard let piece = batch.first, piece.text.count >= 32 else { throw error }
            let halves = TextSplitter.split(piece.text, maxCharacters: (piece.text.count + 1) / 2)
            client.logger.debug("input too long for the model: halving it", metadata: [
                "ollama.model": "\(modelName)", "ollama.characters": "\(piece.text.count)",
            ])
            var vectors: [(owner: Int, weight: Float, vector: [Float])] = []
            for half in halves { vectors += try await embedBatch([Piece(owner: piece.owner, text: half)], prefix: prefix) }
            return vectors
        }
    }

    private func checkDimension(_ vector: [Float]) throws {
        guard vector.count == dimension else {
            throw PipsightError(
                .ollamaBadResponse,
                "model '\(modelName)' returned \(vector.count)-dimensional vectors, its descriptor says \(dimension): fix models/\(modelName).json")
        }
    }

    /// `vector` scaled to length 1.
    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite, abs(norm - 1) > 1e-6 else { return vector }
        return vector.map { $0 / norm }
    }

    static func normalised(_ vector: [Float], model: String, text: Int) throws -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else {
            throw PipsightError(.ollamaBadResponse, "model '\(model)' returned a zero or invalid vector for text \(text + 1)")
        }
        return vector.map { $0 / norm }
    }
}
