import Foundation

/// What to retrieve: a question, the backtests it is about (empty = all) and an optional time range.
public struct RetrievalQuery: Sendable, Hashable {
    /// The question as asked.
    public var text: String
    /// Only documents of these backtests; empty means every backtest.
    public var backtestIDs: [UUID]
    /// Only documents whose time span overlaps this range (bounds included); documents without time never match.
    public var timeRange: ClosedRange<Date>?
    /// How many documents to return.
    public var k: Int
    /// Only documents of these kinds; nil means every kind.
    public var kinds: Set<DocumentKind>?

    public init(text: String, backtestIDs: [UUID] = [], timeRange: ClosedRange<Date>? = nil, k: Int = 8,
                kinds: Set<DocumentKind>? = nil) {
        self.text = text
        self.backtestIDs = backtestIDs
        self.timeRange = timeRange
        self.k = k
        self.kinds = kinds
    }
}

/// One retrieved document with its fused score and its rank in each list (1-based; nil when the list missed it).
public struct RetrievedDocument: Codable, Sendable, Hashable {
    public var document: RAGDocument
    /// The reciprocal-rank-fusion score (larger is better).
    public var score: Double
    /// Rank among the vector search hits (1 = most similar).
    public var vectorRank: Int?
    /// Rank among the full-text search hits (1 = best `ts_rank_cd`).
    public var textRank: Int?

    public init(document: RAGDocument, score: Double, vectorRank: Int?, textRank: Int?) {
        self.document = document
        self.score = score
        self.vectorRank = vectorRank
        self.textRank = textRank
    }
}
