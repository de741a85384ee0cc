import Foundation
import PipsightCore

/// Settings of document indexing and retrieval. Environment keys: `PIPSIGHT_EMBED_BATCH`,
/// `PIPSIGHT_EMBED_CONCURRENCY`, `PIPSIGHT_CHUNK_CHARACTERS`, `PIPSIGHT_INDEX_MAX_TRADES` (see docs/configuration.md).
public struct DocumentIndexConfiguration: Sendable, Hashable {
    /// Chunks per embedding request.
    public var batchSize: Int
    /// Embedding requests in flight at once.
    public var maxConcurrentBatches: Int
    /// The longest chunk in characters, the document title it starts with included; nil (the default): the
    /// embedding model's window (`EmbeddingModel.maxInputCharacters`, e.g. about 600 characters for all-minilm's
    /// 256 tokens), else `fallbackChunkCharacters`. See `chunkCharacters(for:)`.
    public var maxChunkCharacters: Int?
    /// Candidates taken from each list (vector, full text) before fusion; at least `k`.
    public var candidatesPerList: Int
    /// The reciprocal rank fusion constant.
    public var fusionK: Double
    /// Threads one vector search may use.
    public var searchThreads: Int
    /// The full-text list's weight in the fusion (the vector list's is 1) for a question that names a number (a
    /// trade id, a date, a year): full text then matches only documents holding every number.
    public var exactTermTextWeight: Double
    /// The most trades a backtest may have to get documents: building them holds every trade in memory (about
    /// 1 KB each) and one document per trade must be embedded (hours for millions on a CPU). A larger backtest
    /// is stored and answers statistics and breakdowns, but is not indexed (`limit_exceeded`).
    public var maxIndexedTrades: Int

    /// The default `maxIndexedTrades`.
    public static let defaultMaxIndexedTrades = 250_000

    /// The chunk size for an embedding model without a known window (the hashing embedder).
    public static let fallbackChunkCharacters = 2000

    public init(batchSize: Int = 64, maxConcurrentBatches: Int = 2, maxChunkCharacters: Int? = nil,
                candidatesPerList: Int = 50, fusionK: Double = ReciprocalRankFusion.defaultK, searchThreads: Int = 1,
                exactTermTextWeight: Double = 2, maxIndexedTrades: Int = defaultMaxIndexedTrades) {
        self.batchSize = max(1, batchSize)
        self.maxConcurrentBatches = max(1, maxConcurrentBatches)
        self.maxChunkCharacters = maxChunkCharacters.map { max(16, $0) }
        self.candidatesPerList = max(1, candidatesPerList)
        self.fusionK = fusionK
        self.searchThreads = max(1, searchThreads)
        self.exactTermTextWeight = max(0, exactTermTextWeight)
        self.maxIndexedTrades = max(0, maxIndexedTrades)
    }

    /// Defaults overridden by the environment's `PIPSIGHT_EMBED_BATCH`, `PIPSIGHT_EMBED_CONCURRENCY` and
    /// `PIPSIGHT_CHUNK_CHARACTERS` and `PIPSIGHT_INDEX_MAX_TRADES` (positive integers; anything else is ignored).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var configuration = Self()
        func value(_ key: String) -> Int? { environment[key].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
        if let batch = value("PIPSIGHT_EMBED_BATCH") { configuration.batchSize = batch }
        if let concurrency = value("PIPSIGHT_EMBED_CONCURRENCY") { configuration.maxConcurrentBatches = concurrency }
        if let characters = value("PIPSIGHT_CHUNK_CHARACTERS") { configuration.maxChunkCharacters = max(16, characters) }
        if let trades = value("PIPSIGHT_INDEX_MAX_TRADES") { configuration.maxIndexedTrades = trades }
        return configuration
    }

    /// The longest chunk (title included) for `embedder`: `maxChunkCharacters` when set, else the model's
    /// window, else `fallbackChunkCharacters`; never below 16.
    public func chunkCharacters(for embedder: any EmbeddingModel) -> Int {
        max(16, maxChunkCharacters ?? embedder.maxInputCharacters ?? Self.fallbackChunkCharacters)
    }
}

/// How far an embedding run has got.
public struct EmbeddingProgress: Sendable, Hashable {
    public var documentsDone: Int
    public var documentsTotal: Int
    public var chunksDone: Int
    public var chunksTotal: Int
}

/// What an indexing run did.
public struct IndexingReport: Sendable, Hashable, Codable {
    /// Backtests whose documents were (re)built.
    public var backtests = 0
    public var documents = 0
    public var added = 0
    public var changed = 0
    public var removed = 0
    public var unchanged = 0
    /// Documents embedded in this run, and their chunks.
    public var embeddedDocuments = 0
    public var embeddedChunks = 0
    /// The embedding model and its dimension.
    public var model = ""
    public var dimension = 0
    public var seconds = 0.0

    public init() {}

    mutating func add(_ other: IndexingReport) {
        backtests += other.backtests
        documents += other.documents
        added += other.added
        changed += other.changed
        removed += other.removed
        unchanged += other.unchanged
        embeddedDocuments += other.embeddedDocuments
        embeddedChunks += other.embeddedChunks
    }
}
