import Foundation
import Logging
import PipsightCore
import VectorStore

/// Embeds documents chunk by chunk in batches (bounded concurrency), stores each batch's vectors in PostgreSQL
/// as soon as it returns, and marks a document embedded once all its chunks are stored. A failure stops the run
/// and throws; everything stored before it stays (documents, finished vectors), and unfinished documents stay
/// pending for the next run.
struct EmbeddingPipeline: Sendable {
    let embedder: any EmbeddingModel
    let repository: DocumentRepository
    let configuration: DocumentIndexConfiguration
    let logger: Logger

    struct Chunk: Sendable {
        var documentID: String
        var vectorID: String
        var text: String
        var metadata: VectorMetadata
    }

    /// The chunks of a document, with their vector ids (`<document id>#<n>@<model>`) and metadata. Every chunk is
    /// the title, a line break and a piece of the text, at most `maxCharacters` in all (the title, which says what
    /// the document is about, leads, so a model that cuts long input never drops it). A title longer than half of
    /// `maxCharacters` still leaves the text pieces of half `maxCharacters`.
    static func chunks(of document: RAGDocument, maxCharacters: Int, model: String) -> [Chunk] {
        let metadata = VectorMetadata(backtestId: document.backtestID.uuidString.lowercased(), kind: document.kind.rawValue,
                                      timeStart: document.startTime, timeEnd: document.endTime)
        let pieces = TextChunker(maxCharacters: max(maxCharacters / 2, maxCharacters - document.title.count - 1)).chunks(document.text)
        return pieces.enumerated().map { index, piece in
            // Every chunk carries the title, so a chunk is understandable on its own.
            Chunk(documentID: document.id, vectorID: "\(document.id)#\(index)@\(model)",
                  text: document.title + "\n" + piece, metadata: metadata)
        }
    }

    /// The document id of a vector id.
    static func documentID(ofVector id: String) -> String {
        id.firstIndex(of: "#").map { String(id[..<$0]) } ?? id
    }

    /// Embeds `documents`; `stored` receives each batch's rows right after PostgreSQL has them.
    func run(_ documents: [RAGDocument], progress: (@Sendable (EmbeddingProgress) -> Void)?,
             stored: @escaping @Sendable ([VectorRow]) async throws -> Void) async throws -> (documents: Int, chunks: Int) {
        let maxCharacters = configuration.chunkCharacters(for: embedder)
        let model = embedder.modelName
        var all: [Chunk] = []
        var remaining: [String: Int] = [:]
        for document in documents {
            let pieces = Self.chunks(of: document, maxCharacters: maxCharacters, model: model)
            remaining[document.id] = pieces.count
            all += pieces
        }
        let chunkCount = remaining
        let batches = stride(from: 0, to: all.count, by: configuration.batchSize).map {
            Array(all[$0..<min(all.count, $0 + configuration.batchSize)])
        }
        var state = EmbeddingProgress(documentsDone: 0, documentsTotal: documents.count, chunksDone: 0,
                                      chunksTotal: all.count)
        progress?(state)
        let embedder = self.embedder, repository = self.repository
        let dimension = embedder.dimension
        try await withThrowingTaskGroup(of: [Chunk].self) { group in
            var next = 0
            func launch() {
                guard next < batches.count else { return }
                let batch = batches[next]
                next += 1
                group.addTask {
                    let vectors = try await embedder.embed(batch.map(\.text), purpose: .document)
                    guard vectors.count == batch.count else {
                        throw PipsightError(.invalidValue, "the embedding model returned \(vectors.count) vectors for \(batch.count) texts")
                    }
                    var rows: [VectorRow] = []
                    rows.reserveCapacity(batch.count)
                    for (chunk, vector) in zip(batch, vectors) {
                        guard vector.count == dimension else {
                            throw PipsightError(.invalidValue, "the embedding model returned a vector of \(vector.count) values, expected \(dimension)")
                        }
                        rows.append(VectorRow(id: chunk.vectorID, vector: vector, metadata: chunk.metadata))
                    }
                    try await repository.storeVectors(rows, model: embedder.modelName)
                    try await stored(rows)
                    return batch
                }
            }
            for _ in 0..<configuration.maxConcurrentBatches { launch() }
            while let batch = try await group.next() {
                var finished: [String] = []
                for chunk in batch {
                    let left = (remaining[chunk.documentID] ?? 1) - 1
                    remaining[chunk.documentID] = left
                    if left == 0 { finished.append(chunk.documentID) }
                }
                try await repository.markEmbedded(finished, chunks: finished.map { chunkCount[$0] ?? 1 },
                                                  model: model, dimension: dimension)
                state.chunksDone += batch.count
                state.documentsDone += finished.count
                progress?(state)
                launch()
            }
        }
        logger.debug("documents embedded", metadata: [
            "rag.documents": "\(documents.count)", "rag.chunks": "\(all.count)", "rag.model": "\(model)",
        ])
        return (documents.count, all.count)
    }
}
