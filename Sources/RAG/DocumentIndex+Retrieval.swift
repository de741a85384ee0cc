import Foundation
import PipsightCore
import VectorStore

extension DocumentIndex {
    /// Hybrid retrieval: the question's vector against the chunk vectors (best chunk per document) and PostgreSQL
    /// full-text search, each filtered by backtest ids, kinds and time range, fused by reciprocal rank fusion.
    /// When the question cannot be embedded (the model is unreachable), full text alone answers, with a warning.
    public func retrieve(_ query: RetrievalQuery) async throws -> [RetrievedDocument] {
        try await retrieve(query, mode: .hybrid)
    }

    /// Retrieval with one list switched off (`vectorOnly`, `textOnly`) for benchmarks and evaluations; the
    /// result is still ranked through the fusion (a single list keeps its order).
    public func retrieve(_ query: RetrievalQuery, mode: RetrievalMode) async throws -> [RetrievedDocument] {
        guard query.k > 0 else { return [] }
        let candidates = max(configuration.candidatesPerList, query.k)
        async let textIDs = mode == .vectorOnly ? [] : repository.fullText(query, limit: candidates, frequencies: lexemeFrequencies())
        var vectorIDs: [String] = []
        if mode != .textOnly {
            do {
                vectorIDs = try await vectorSearch(query, documents: candidates)
            } catch let error as PipsightError where error.code != .dimensionMismatch {
                logger.warning("vector search skipped; full-text results only", metadata: ["error": "\(error)"])
                // This result is not the usual one: a new generation keeps it out of the caches' later hits.
                changed()
            }
        }
        let weights = [1, Self.namesExactTerms(query.text) ? configuration.exactTermTextWeight : 1]
        let fused = ReciprocalRankFusion(k: configuration.fusionK).fuse([vectorIDs, try await textIDs], weights: weights)
        let top = Array(fused.prefix(query.k))
        let documents = try await self.documents(ids: top.map(\.id))
        let byID = Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return top.compactMap { entry in
            byID[entry.id].map {
                RetrievedDocument(document: $0, score: entry.score, vectorRank: entry.ranks[0], textRank: entry.ranks[1])
            }
        }
    }

    /// True when the question names a number — a trade id, a date, a price, a year — which full-text search then
    /// requires every match to hold, so its list is exact where a sentence embedding only comes near.
    static func namesExactTerms(_ question: String) -> Bool {
        DocumentRepository.queryWords(question).contains { word in word.contains { $0.isNumber } }
    }

    /// The cached full-text statistics, read again when older than a minute or invalidated by indexing.
    func lexemeFrequencies() async throws -> LexemeFrequencies {
        let cached = lexemeCache.withLock { $0 }
        if let read = cached.read, ContinuousClock.now - read < .seconds(60) { return cached.frequencies }
        let fresh = try await repository.lexemeFrequencies()
        let differs = lexemeCache.withLock { cache in
            defer { cache = (fresh, ContinuousClock.now) }
            // The first read changes nothing: no retrieval has used other statistics yet.
            let first = cache.read == nil && cache.frequencies == .empty
            // Only a change in the lexemes left out changes what full text finds (ANALYZE samples, so the
            // fractions themselves move a little each time).
            return !first && cache.frequencies.commonLexemes != fresh.commonLexemes
        }
        if differs { changed() }
        return fresh
    }

    /// Document ids by vector similarity of their best chunk, best first.
    func vectorSearch(_ query: RetrievalQuery, documents wanted: Int) async throws -> [String] {
        guard vectors.count > 0 else { return [] }
        guard let vector = try await embedder.embed([query.text], purpose: .query).first else { return [] }
        let filter = VectorSearchFilter(
            backtestIds: query.backtestIDs.isEmpty ? nil : Set(query.backtestIDs.map { $0.uuidString.lowercased() }),
            kinds: query.kinds.map { Set($0.map(\.rawValue)) }, timeRange: query.timeRange)
        // Documents may have several chunks: ask for more rows than documents wanted.
        let hits = try vectors.search(vector, k: wanted * 2, filter: filter).hits
        var seen = Set<String>()
        var ids: [String] = []
        for hit in hits {
            let id = EmbeddingPipeline.documentID(ofVector: hit.id)
            if seen.insert(id).inserted { ids.append(id) }
            if ids.count == wanted { break }
        }
        return ids
    }
}

/// Which lists a retrieval uses.
public enum RetrievalMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Vector search and full text, fused (the default).
    case hybrid
    /// Vector search only.
    case vectorOnly = "vector"
    /// PostgreSQL full-text search only.
    case textOnly = "text"
}
