@testable import RAG
import Testing

@Suite("Full-text query pruning")
struct FullTextPruningTests {
    @Test("a lexeme in more than 1% of the documents is common, but only once the table is large")
    func commonLexemes() {
        let large = LexemeFrequencies(fractions: ["friday": 0.2, "eurusd": 0.009], documents: 100_000)
        #expect(large.isCommon("friday"))
        #expect(!large.isCommon("eurusd"))
        #expect(!large.isCommon("4711"))
        let small = LexemeFrequencies(fractions: ["friday": 0.2], documents: 5_000)
        #expect(!small.isCommon("friday"))
    }

    @Test("query words drop stop words and words found in every document, and keep numbers whole")
    func queryWords() {
        #expect(DocumentRepository.queryWords("What was the profit of trade 4711 at 1.08345 on Friday?") == ["4711", "1.08345", "friday"])
        #expect(DocumentRepository.queryWords("the trades").isEmpty)
    }
}
