import Dispatch
import Foundation
import Logging
import PipsightCore
import Synchronization

/// The built-in embedding model: all-MiniLM-L6-v2 run in-process on BLAS, the same model Ollama serves as
/// `all-minilm`, so both give vectors of one space (384 dimensions, unit length) under one name, `all-minilm`.
///
/// Texts are tokenised (`BertTokenizer`, cut at 256 tokens), packed into batches of at most
/// `maxTokensPerBatch` tokens and encoded (`MiniLMEncoder`, on all cores) on a serial queue of this model's own, so
/// the cooperative thread pool is never blocked by a forward pass; a cancelled task stops between passes. The purpose is
/// ignored: the model takes no query/document prefixes.
public final class MiniLMEmbeddingModel: EmbeddingModel {
    /// The name stored next to the vectors: Ollama's tag of the same model.
    public static let name = "all-minilm"
    /// The name configuration uses for it (`PIPSIGHT_EMBEDDER=builtin:all-minilm`).
    public static let configurationName = "builtin:all-minilm"
    /// The folder `scripts/setup` unpacks the model into, relative to the checkout.
    public static let defaultFolder = ".pipsight/models/all-minilm"
    /// The environment variable that names another folder.
    public static let environmentKey = "PIPSIGHT_MINILM_DIR"

    public let modelName = MiniLMEmbeddingModel.name
    public let dimension: Int
    /// Characters per token assumed when sizing input, as models/all-minilm.json says: plain English runs about 4,
    /// but the documents' numbers, prices and dates split into many word pieces (a trade document measures 2.6, a
    /// day's list of trades 2.25).
    public static let charactersPerToken = 2.5
    /// The text that fits the 256-token window by that estimate ([CLS] and [SEP] take two): 635 characters.
    /// Longer text is still embedded, from its first 254 tokens.
    public var maxInputCharacters: Int? { Int(Double(tokenizer.maxTokens - 2) * Self.charactersPerToken) }
    public let tokenizer: BertTokenizer
    public let encoder: MiniLMEncoder
    /// The folder the model was loaded from.
    public let directory: URL
    /// Most tokens encoded in one forward pass (bounds the scratch memory: about 10 KiB per token).
    public let maxTokensPerBatch: Int
    private let queue = DispatchQueue(label: "pipsight.minilm", qos: .userInitiated)

    /// Loads the model from `directory` (model.safetensors, vocab.txt). Throws `embedding_model_missing` (with
    /// the advice to run scripts/setup) when the files are not there, `corrupt_model_file` when they are damaged.
    /// `threads`: threads per forward pass (default: the cores this process may use).
    public init(directory: URL, maxTokensPerBatch: Int = 8192, threads: Int = MiniLMEncoder.defaultThreads,
                kernel: MiniLMEncoder.Kernel = .automatic, logger: Logger? = nil) throws {
        let start = ContinuousClock.now
        let weightsPath = directory.appendingPathComponent("model.safetensors").path
        let vocabularyPath = directory.appendingPathComponent("vocab.txt").path
        for path in [weightsPath, vocabularyPath] where !FileManager.default.fileExists(atPath: path) {
            throw PipsightError(
                .embeddingModelMissing,
                "the built-in embedding model all-minilm is not installed: run scripts/setup (it downloads the model into \(Self.defaultFolder)), or set \(Self.environmentKey) to its folder",
                location: ErrorLocation(file: path))
        }
        let file = try SafetensorsFile(path: weightsPath)
        let weights = try MiniLMWeights(file: file)
        self.encoder = MiniLMEncoder(weights: weights, threads: threads, kernel: kernel)
        self.tokenizer = try BertTokenizer(vocabularyFile: vocabularyPath, maxTokens: 256)
        guard tokenizer.vocabulary.count == weights.shape.vocabulary else {
            throw PipsightError(.corruptModelFile,
                                "the vocabulary has \(tokenizer.vocabulary.count) entries, the model \(weights.shape.vocabulary)",
                                location: ErrorLocation(file: vocabularyPath))
        }
        self.dimension = weights.shape.hidden
        self.directory = directory
        self.maxTokensPerBatch = max(256, maxTokensPerBatch)
        logger?.info("embedding model loaded", metadata: [
            "rag.model": "\(Self.name)", "path": "\(directory.path)", "duration": "\(ContinuousClock.now - start)",
        ])
    }

    /// Cancellation is checked before each forward pass (at most `maxTokensPerBatch` tokens, a second or two), so a
    /// cancelled task stops within one pass and throws `CancellationError`.
    public func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let sequences = texts.map(tokenizer.encode)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for batch in batches(sequences) {
            try Task.checkCancellation()
            vectors += await withCheckedContinuation { continuation in
                queue.async { continuation.resume(returning: self.encoder.encode(batch)) }
            }
        }
        return vectors
    }

    /// Tokenises and encodes `texts` on the calling thread (tests and benchmarks; `embed` runs this on the
    /// model's queue).
    public func embedNow(_ texts: [String]) -> [[Float]] {
        batches(texts.map(tokenizer.encode)).flatMap(encoder.encode)
    }

    /// `sequences` in order, cut into forward passes of at most `maxTokensPerBatch` tokens (one longer text alone).
    func batches(_ sequences: [[Int32]]) -> [[[Int32]]] {
        var batches: [[[Int32]]] = []
        var batch: [[Int32]] = []
        var tokens = 0
        for sequence in sequences {
            if !batch.isEmpty, tokens + sequence.count > maxTokensPerBatch {
                batches.append(batch)
                batch.removeAll(keepingCapacity: true)
                tokens = 0
            }
            batch.append(sequence)
            tokens += sequence.count
        }
        if !batch.isEmpty { batches.append(batch) }
        return batches
    }

    // MARK: - Locating and sharing

    /// The model folder: `PIPSIGHT_MINILM_DIR`, else `.pipsight/models/all-minilm` in the working directory when
    /// it holds the model, else the one in the source checkout this binary was built from.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let configured = environment[environmentKey], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent(defaultFolder, isDirectory: true)
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("model.safetensors").path) { return local }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(defaultFolder, isDirectory: true)
    }

    /// True when `directory` holds the model's files (whether they are intact is checked on loading).
    public static func isInstalled(at directory: URL = locate()) -> Bool {
        ["model.safetensors", "vocab.txt"].allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    private static let loaded = Mutex<[String: MiniLMEmbeddingModel]>([:])

    /// The model of `directory`, loaded once per process (about 90 MB of weights) and shared by every caller.
    public static func shared(directory: URL = locate(), logger: Logger? = nil) throws -> MiniLMEmbeddingModel {
        let key = directory.standardizedFileURL.path
        if let model = loaded.withLock({ $0[key] }) { return model }
        let model = try MiniLMEmbeddingModel(directory: directory, logger: logger)
        return loaded.withLock { cache in
            if let existing = cache[key] { return existing }
            cache[key] = model
            return model
        }
    }
}
