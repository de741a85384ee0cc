import Foundation
import PostgresNIO

extension DocumentRepository {
    /// Full-text search over title and body (`english` configuration, title weighted higher), ranked by
    /// `ts_rank_cd`, ties by id. Returns document ids, best first. When the question holds numbers (a trade id, a
    /// date, a price) every number must match; otherwise any of its words may. Ranking weighs all kept words.
    ///
    /// Speed at scale: lexemes found in more than `LexemeFrequencies.commonFraction` of all documents (read from
    /// PostgreSQL's own statistics of the `search` column, only once the table holds
    /// `LexemeFrequencies.minimumDocuments`) are left out, as are all but the `maxTerms` first remaining ones, and
    /// at most `rankedCandidates` matches are ranked: full text is there for the exact and rare terms (ids, prices,
    /// dates, symbols) that vectors miss; common words are the vector list's job.
    func fullText(_ query: RetrievalQuery, limit: Int, frequencies: LexemeFrequencies) async throws -> [String] {
        let words = Self.queryWords(query.text)
        guard !words.isEmpty, limit > 0 else { return [] }
        let backtests = query.backtestIDs
        let kinds = query.kinds.map { $0.map(\.rawValue).sorted() } ?? []
        let lower = query.timeRange?.lowerBound, upper = query.timeRange?.upperBound
        return try await RAGDatabase.run("searching documents") {
            // 1. The question's lexemes as PostgreSQL stems them (a date 2024-01-05 gives `2024`, `-01`, `-05`, as in
            //    the documents), minus those of words found in every document and the common ones.
            let lexemeRows = try await client.query(
                """
                SELECT array(SELECT unnest(tsvector_to_array(to_tsvector('english', \(query.text))))
                             EXCEPT SELECT unnest(tsvector_to_array(to_tsvector('english', \(Self.commonText)))))
                """, logger: logger)
            var lexemes: [String] = []
            for try await array in lexemeRows.decode([String].self) { lexemes = array }
            lexemes = lexemes.filter { lexeme in
                !frequencies.isCommon(lexeme) && !lexeme.isEmpty
                    && lexeme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
            }
            // Keep the question's order (the array is unordered): later words tend to be the specific ones.
            let position = { (lexeme: String) -> Int in
                query.text.lowercased().range(of: lexeme.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
                    .map { query.text.lowercased().distance(from: query.text.startIndex, to: $0.lowerBound) } ?? Int.max
            }
            lexemes.sort { (position($0), $0) < (position($1), $1) }
            lexemes = lexemes.map { "'\($0)'" }
            // Numbers (ids, dates, prices) must all match; otherwise any word may.
            // Ranking always weighs every kept word.
            // A trade the question names ("trade 1", "position #42") must be named as such, in the title: the
            // phrase `trade 1` weighted A (trade documents' titles start "Trade 1 …"), not any document that holds
            // the number 1 (lots, ranks, counts: "1 trades (1 long"), even when the number is too common to be
            // searched on its own.
            let trades = QuestionAnalyser.captures(Self.tradeReferencePattern, in: query.text)
            let numbers = trades.map { "('trade':A <-> '\($0)':A)" } + lexemes.filter { lexeme in
                (lexeme.dropFirst().first.map { $0.isNumber || $0 == "-" } ?? false)
                    && !trades.contains(String(lexeme.dropFirst().dropLast()))
            }
            let ranking = lexemes.prefix(Self.maxTerms).joined(separator: " | ")
            let terms = numbers.isEmpty ? ranking : numbers.prefix(Self.maxTerms).joined(separator: " & ")
            guard !terms.isEmpty else { return [] }
            // 2. Match (GIN), cap, rank.
            let rows = try await client.query(
                """
                WITH m AS MATERIALIZED (
                    SELECT d.id, d.search FROM documents d
                    WHERE d.search @@ to_tsquery('simple', \(terms))
                      AND (cardinality(\(backtests)::uuid[]) = 0 OR d.backtest_id = ANY(\(backtests)::uuid[]))
                      AND (cardinality(\(kinds)::text[]) = 0 OR d.kind = ANY(\(kinds)::text[]))
                      AND (\(lower)::timestamptz IS NULL OR (
                            COALESCE(d.time_start, d.time_end) <= \(upper)::timestamptz
                        AND COALESCE(d.time_end, d.time_start) >= \(lower)::timestamptz))
                    LIMIT \(Self.rankedCandidates)
                )
                SELECT m.id FROM m ORDER BY ts_rank_cd(m.search, to_tsquery('simple', \(ranking))) DESC, m.id
                LIMIT \(limit)
                """, logger: logger)
            var ids: [String] = []
            for try await id in rows.decode(String.self) { ids.append(id) }
            return ids
        }
    }

    /// A trade named by its position id, as `QuestionAnalyser` reads it.
    static let tradeReferencePattern = #"\b(?:trade|position|deal)s?\s*(?:id\s*)?#?\s*(\d{1,12})\b"#

    /// Lexemes searched per question at most.
    static let maxTerms = 8
    /// Matches ranked per question at most.
    static let rankedCandidates = 2000

    /// The question's distinctive words: letters and digits only (decimal numbers kept whole), without stop words
    /// and without words that occur in nearly every document (`trade`, `profit`, …).
    static func queryWords(_ question: String) -> [String] {
        var seen = Set<String>()
        var terms: [String] = []
        for word in OfflineTokenizer.words(question) where !commonWords.contains(word) {
            guard word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." }), word.first != ".", word.last != "." else { continue }
            if seen.insert(word).inserted { terms.append(word) }
            if terms.count == 32 { break }
        }
        return terms
    }

    /// `commonWords` as one text for PostgreSQL to stem.
    static let commonText = commonWords.sorted().joined(separator: " ")

    /// Words present in (almost) every document, left out of full-text queries.
    static let commonWords: Set<String> = [
        "trade", "profit", "net", "pip", "utc", "opened", "closed", "held", "price", "backtest", "result",
        "session", "hour", "gross", "average", "loss", "winner", "loser", "trading",
    ]

    /// PostgreSQL's statistics of the `search` column: the most common lexemes and the fraction of rows holding each.
    func lexemeFrequencies() async throws -> LexemeFrequencies {
        try await RAGDatabase.run("reading full-text statistics") {
            let rows = try await client.query(
                """
                SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples::float8
                FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = s.schemaname::regnamespace
                WHERE s.schemaname = current_schema() AND s.tablename = 'documents' AND s.attname = 'search'
                """, logger: logger)
            for try await (elements, fractions, documents) in rows.decode(([String]?, [Float]?, Double).self) {
                var map: [String: Double] = [:]
                for (element, fraction) in zip(elements ?? [], fractions ?? []) { map[element] = Double(fraction) }
                return LexemeFrequencies(fractions: map, documents: documents)
            }
            return LexemeFrequencies(fractions: [:], documents: 0)
        }
    }
}

/// How common each lexeme is among the documents (from `pg_stats`), to leave common ones out of full-text queries.
struct LexemeFrequencies: Sendable, Equatable {
    /// Fraction of documents holding each of the most common lexemes.
    var fractions: [String: Double]
    /// Documents in the table when the statistics were taken.
    var documents: Double

    /// Lexemes in more than this fraction of the documents are left out.
    static let commonFraction = 0.01
    /// Below this many documents nothing is left out (a small table is fast to rank whole).
    static let minimumDocuments = 20_000.0

    static let empty = LexemeFrequencies(fractions: [:], documents: 0)

    /// The lexemes full-text search leaves out: two readings with the same set search alike.
    var commonLexemes: Set<String> {
        documents >= Self.minimumDocuments ? Set(fractions.filter { $0.value > Self.commonFraction }.keys) : []
    }

    func isCommon(_ lexeme: String) -> Bool {
        documents >= Self.minimumDocuments && (fractions[lexeme] ?? 0) > Self.commonFraction
    }
}
