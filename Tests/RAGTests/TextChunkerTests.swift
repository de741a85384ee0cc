import RAG
import Testing

@Suite("Text chunking")
struct TextChunkerTests {
    /// Deterministic pseudo-random text with words, sentences, new lines and long unbroken runs.
    static func text(seed: UInt64, length: Int) -> String {
        var state = seed
        var result = ""
        let pieces = ["trade", "EURUSD", " ", " ", ". ", "\n", "1.08345", "Tuesday", "ü", "€", "x", String(repeating: "y", count: 70)]
        while result.count < length {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            result += pieces[Int(state >> 33) % pieces.count]
        }
        return result
    }

    @Test("concatenated chunks are exactly the text, and no chunk exceeds the limit", arguments: [16, 40, 100, 333])
    func neverLosesText(limit: Int) {
        for seed in UInt64(1)...20 {
            let text = Self.text(seed: seed, length: 1500)
            let chunks = TextChunker(maxCharacters: limit).chunks(text)
            #expect(chunks.joined() == text)
            #expect(chunks.allSatisfy { $0.count <= limit && !$0.isEmpty })
        }
    }

    @Test("text that fits is one chunk; empty text is one empty chunk")
    func fits() {
        #expect(TextChunker(maxCharacters: 50).chunks("short") == ["short"])
        #expect(TextChunker(maxCharacters: 50).chunks("") == [""])
    }

    @Test("a cut prefers a line break, then a sentence end, then a space")
    func naturalCuts() {
        let line = String(repeating: "a", count: 30) + "\n" + String(repeating: "b", count: 30)
        #expect(TextChunker(maxCharacters: 40).chunks(line) == [String(repeating: "a", count: 30) + "\n", String(repeating: "b", count: 30)])
        let sentence = String(repeating: "a", count: 25) + ". " + String(repeating: "b", count: 25)
        #expect(TextChunker(maxCharacters: 40).chunks(sentence).first == String(repeating: "a", count: 25) + ".")
        let words = String(repeating: "a", count: 25) + " " + String(repeating: "b", count: 25)
        #expect(TextChunker(maxCharacters: 40).chunks(words).first == String(repeating: "a", count: 25) + " ")
    }
}
