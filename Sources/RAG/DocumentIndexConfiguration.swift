import Foundation

/// Settings of document indexing and retrieval. Environment keys: `PIPSIGHT_EMBED_BATCH`,
/// `PIPSIGHT_EMBED_CONCURRENCY`, `PIPSIGHT_CHUNK_CHARACTERS` (see docs/configuration.md).
public struct DocumentIndexConfiguration: Sendable, Hashable {
    /// Chunks per embedding request.
    public var batchSize: Int
    /// Embedding requests in flight at once.
    public var maxConcurrentBatches: Int
    /// The longest chunk in characters; keep it within the embedding model's context (about 4 characters per token).
    public var maxChunkCharacters: Int
    /// Candidates taken from each list (vector, full text) before fusion; at least `k`.
    public var candidatesPerList: Int
    /// The reciprocal rank fusion constant.
    public var fusionK: Double
    /// Threads one vector search may use.
    public var searchThreads: Int

    public init(batchSize: Int = 64, maxConcurrentBatches: Int = 2, maxChunkCharacters: Int = 2000,
                candidatesPerList: Int = 50, fusionK: Double = ReciprocalRankFusion.defaultK, searchThreads: Int = 1) {
        self.batchSize = max(1, batchSize)
        self.maxConcurrentBatches = max(1, maxConcurrentBatches)
        self.maxChunkCharacters = max(16, maxChunkCharacters)
        self.candidatesPerList = max(1, candidatesPerList)
        self.fusionK = fusionK
        self.searchThreads = max(1, searchThreads)
    }

    /// Defaults overridden by the environment's `PIPSIGHT_EMBED_BATCH`, `PIPSIGHT_EMBED_CONCURRENCY` and
    /// `PIPSIGHT_CHUNK_CHARACTERS` (positive integers; anything else is ignored).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var configuration = Self()
        func value(_ key: String) -> Int? { environment[key].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
        if let batch = value("PIPSIGHT_EMBED_BATCH") { configuration.batchSize = batch }
        if let concurrency = value("PIPSIGHT_EMBED_CONCURRENCY") { configuration.maxConcurrentBatches = concurrency }
        if let characters = value("PIPSIGHT_CHUNK_CHARACTERS") { configuration.maxChunkCharacters = max(16, characters) }
        return configuration
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
