import Foundation
import PostgresNIO

extension DocumentRepository {
    /// Full-text search over title and body (`english` configuration, title weighted higher), ranked by
    /// `ts_rank_cd`, ties by id. Returns document ids, best first.
    func fullText(_ query: RetrievalQuery, limit: Int) async throws -> [String] {
        let terms = Self.tsqueryText(query.text)
        guard !terms.isEmpty, limit > 0 else { return [] }
        let backtests = query.backtestIDs
        let kinds = query.kinds.map { $0.map(\.rawValue).sorted() } ?? []
        let lower = query.timeRange?.lowerBound, upper = query.timeRange?.upperBound
        return try await RAGDatabase.run("searching documents") {
            let rows = try await client.query(
                """
                SELECT d.id FROM documents d, to_tsquery('english', \(terms)) q
                WHERE d.search @@ q
                  AND (cardinality(\(backtests)::uuid[]) = 0 OR d.backtest_id = ANY(\(backtests)::uuid[]))
                  AND (cardinality(\(kinds)::text[]) = 0 OR d.kind = ANY(\(kinds)::text[]))
                  AND (\(lower)::timestamptz IS NULL OR (
                        COALESCE(d.time_start, d.time_end) <= \(upper)::timestamptz
                    AND COALESCE(d.time_end, d.time_start) >= \(lower)::timestamptz))
                ORDER BY ts_rank_cd(d.search, q) DESC, d.id
                LIMIT \(limit)
                """, logger: logger)
            var ids: [String] = []
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
    }

    /// The question as an OR-query of its distinctive words: `tuesday | 1.08345 | eurusd`. Words are letters and
    /// digits only (so the text is always valid `to_tsquery` syntax); stop words and words that occur in nearly
    /// every document (`trade`, `profit`, …) are left out because they would match everything.
    static func tsqueryText(_ question: String) -> String {
        var seen = Set<String>()
        var terms: [String] = []
        for word in OfflineTokenizer.words(question) where !commonWords.contains(word) {
            guard word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }), word.first != ".", word.last != "." else { continue }
            if seen.insert(word).inserted { terms.append(word) }
            if terms.count == 32 { break }
        }
        return terms.joined(separator: " | ")
    }

    /// Words present in (almost) every document, left out of full-text queries.
    static let commonWords: Set<String> = [
        "trade", "profit", "net", "pip", "utc", "opened", "closed", "held", "price", "backtest", "result",
        "session", "hour", "gross", "average", "loss", "winner", "loser", "trading",
    ]
}
