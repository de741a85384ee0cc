import Testing
@testable import Ollama

@Suite struct TextSplitterTests {
    @Test func aShortTextIsOnePiece() {
        #expect(TextSplitter.split("EURUSD long", maxCharacters: 11) == ["EURUSD long"])
        #expect(TextSplitter.split("", maxCharacters: 5) == [""])
    }

    @Test(arguments: [7, 20, 64, 333])
    func piecesFitAndJoinBackToTheText(limit: Int) {
        let paragraph = "Trade 12 EURUSD buy at 1.08345 on Monday 08:15 London. Stop 1.08100, target 1.08900! Closed by TP; +55.5 pips.\n"
        let text = String(repeating: paragraph, count: 9) + "Tail without a stop"
        let pieces = TextSplitter.split(text, maxCharacters: limit)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.count <= limit && !$0.isEmpty })
        #expect(pieces.count >= text.count / limit)
    }

    @Test func cutsAfterALineBreakThenASentenceThenASpace() {
        // Hand-made: the line break lies in the second half of a 20-character window.
        #expect(TextSplitter.split("0123456789abc\nxyz uvw rest", maxCharacters: 20) == ["0123456789abc\n", "xyz uvw rest"])
        #expect(TextSplitter.split("Won 10 pips. Lost 5 pips again", maxCharacters: 20) == ["Won 10 pips. ", "Lost 5 pips again"])
        #expect(TextSplitter.split("alpha beta gamma delta", maxCharacters: 12) == ["alpha beta ", "gamma delta"])
        #expect(TextSplitter.split("abcdefghij", maxCharacters: 4) == ["abcd", "efgh", "ij"])
    }
}
