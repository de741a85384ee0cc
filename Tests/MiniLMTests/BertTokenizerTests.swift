import MiniLM
import Testing

/// Expected ids and pieces come from Hugging Face `tokenizers` 0.2x with the package's tokenizer.json
/// (`Tokenizer.from_file(...).encode(text)`, padding off), not from this code.
@Suite("BertTokenizer: the uncased WordPiece tokenizer of all-MiniLM-L6-v2")
struct BertTokenizerTests {
    @Test func theExampleSentence() throws {
        #expect(try ModelFixture.tokenizer().encode("This is an example sentence") == [101, 2023, 2003, 2019, 2742, 6251, 102])
    }

    @Test func accentsAreStrippedAndTextLowerCased() throws {
        let tokenizer = try ModelFixture.tokenizer()
        #expect(tokenizer.tokens("Café Ångström naïve résumé Zürich") == ["cafe", "ang", "##strom", "naive", "resume", "zurich"])
        #expect(tokenizer.encode("Café Ångström naïve résumé Zürich") == [101, 7668, 17076, 15687, 15743, 13746, 10204, 102])
        // İ decomposes to I + combining dot (dropped); the ﬁ ligature and ß have no canonical decomposition.
        #expect(tokenizer.tokens("İstanbul ﬁnance Straße") == ["istanbul", "ﬁ", "##nan", "##ce", "st", "##raße"])
    }

    @Test func punctuationIsSplitOff() throws {
        let tokenizer = try ModelFixture.tokenizer()
        #expect(tokenizer.encode("Why did trade #1234 lose money?! (EURUSD, 3:15pm)") == [
            101, 2339, 2106, 3119, 1001, 13138, 2549, 4558, 2769, 1029, 999, 1006, 7327, 7946, 2094, 1010, 1017, 1024,
            2321, 9737, 1007, 102,
        ])
        #expect(tokenizer.tokens("don't stop—ever… «quoted» “curly”") == [
            "don", "'", "t", "stop", "—", "ever", "…", "«", "quoted", "»", "“", "curly", "”",
        ])
    }

    @Test func decimalsAndCurrencySymbols() throws {
        let tokenizer = try ModelFixture.tokenizer()
        #expect(tokenizer.tokens("Net profit was 1,234.56 and the drawdown -12.5%") == [
            "net", "profit", "was", "1", ",", "234", ".", "56", "and", "the", "draw", "##down", "-", "12", ".", "5", "%",
        ])
        // $ is ASCII punctuation (split off); €, £, ¥ are symbols (Sc) and stay in the word.
        #expect(tokenizer.encode("Price €1.0850, £200, ¥15000 and $99.99") == [
            101, 3976, 1574, 2487, 1012, 5511, 12376, 1010, 21853, 8889, 1010, 1071, 16068, 8889, 2692, 1998, 1002,
            5585, 1012, 5585, 102,
        ])
    }

    @Test func unknownCharactersControlsAndCJK() throws {
        let tokenizer = try ModelFixture.tokenizer()
        #expect(tokenizer.encode("emoji 🚀 and ☃ snowman; tab\there\nnewline") == [
            101, 7861, 29147, 2072, 100, 1998, 100, 4586, 2386, 1025, 21628, 2182, 2047, 4179, 102,
        ])
        // NUL, zero-width space (Cf) and U+FFFD are removed, not split on.
        #expect(tokenizer.encode("x\u{0}y\u{200B}z\u{FFFD}") == [101, 1060, 2100, 2480, 102])
        #expect(tokenizer.encode("日本語のテキスト") == [101, 1864, 1876, 1950, 1671, 30239, 30227, 30233, 30240, 102])
        // A word over 100 characters is one [UNK]; an unsegmentable one too.
        #expect(tokenizer.encode(String(repeating: "a", count: 120)) == [101, 100, 102])
        #expect(tokenizer.tokens("supercalifragilisticexpialidocious") == [
            "super", "##cal", "##if", "##rag", "##ilis", "##tic", "##ex", "##pia", "##lid", "##oc", "##ious",
        ])
    }

    @Test func emptyAndBlankTexts() throws {
        let tokenizer = try ModelFixture.tokenizer()
        #expect(tokenizer.encode("") == [101, 102])
        #expect(tokenizer.encode("   \n\t") == [101, 102])
    }

    @Test func longTextsAreCutAt256Tokens() throws {
        let ids = try ModelFixture.tokenizer().encode(Array(repeating: "profit", count: 300).joined(separator: " "))
        #expect(ids.count == 256)
        #expect(ids.first == 101)
        #expect(ids.last == 102)
        #expect(ids[1..<255].allSatisfy { $0 == 5618 })
    }

    @Test func aVocabularyWithoutSpecialTokensIsRejected() {
        #expect(throws: (any Error).self) { try BertTokenizer(vocabulary: ["[PAD]", "a", "b"]) }
    }
}
