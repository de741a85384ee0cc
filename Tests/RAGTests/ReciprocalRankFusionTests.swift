@testable import RAG
import Testing

@Suite("Reciprocal rank fusion")
struct ReciprocalRankFusionTests {
    @Test("scores are the sums of 1/(k + rank), computed by hand for k = 60")
    func handComputed() {
        let fused = ReciprocalRankFusion(k: 60).fuse([["a", "b", "c"], ["b", "c", "d"]])
        // a: 1/61; b: 1/62 + 1/61; c: 1/63 + 1/62; d: 1/63.
        let expected: [(String, Double)] = [("b", 1.0 / 62 + 1.0 / 61), ("c", 1.0 / 63 + 1.0 / 62), ("a", 1.0 / 61), ("d", 1.0 / 63)]
        #expect(fused.map(\.id) == expected.map(\.0))
        for (entry, (_, score)) in zip(fused, expected) {
            #expect(abs(entry.score - score) < 1e-12)
        }
        #expect(fused[0].ranks == [2, 1])
        #expect(fused[3].ranks == [nil, 3])
    }

    @Test("an item found by both lists beats one found first by a single list")
    func agreementWins() {
        let fused = ReciprocalRankFusion().fuse([["solo", "both"], ["x", "both"]])
        #expect(fused.first?.id == "both")
    }

    @Test("a repeated id keeps its first rank; equal scores are ordered by id")
    func repeatsAndTies() {
        let fused = ReciprocalRankFusion(k: 10).fuse([["z", "y", "z"], ["y", "z"]])
        // z: 1/11 + 1/12; y: 1/12 + 1/11: equal, so y (smaller id) first.
        #expect(fused.map(\.id) == ["y", "z"])
        #expect(fused[1].ranks == [1, 2])
        #expect(abs(fused[0].score - (1.0 / 11 + 1.0 / 12)) < 1e-12)
    }

    @Test("a smaller k weights the top ranks more")
    func constantMatters() {
        // With k = 0: a = 1/1 = 1, b = 1/2 + 1/2 = 1 → tie (a first by id). With k = 60, b (in both) wins.
        let lists = [["a", "b"], ["c", "b"]]
        #expect(ReciprocalRankFusion(k: 60).fuse(lists).first?.id == "b")
        let sharp = ReciprocalRankFusion(k: 0).fuse(lists)
        #expect(sharp.first?.id == "a")
        #expect(abs(sharp[0].score - sharp[1].score) < 1e-12)
    }

    @Test("a list's weight multiplies its contributions; missing weights are 1")
    func weightedLists() {
        let fused = ReciprocalRankFusion(k: 60).fuse([["a", "b"], ["c", "b"]], weights: [1, 2])
        // a: 1/61; b: 1/62 + 2/62; c: 2/61.
        #expect(fused.map(\.id) == ["b", "c", "a"])
        #expect(abs(fused[0].score - 3.0 / 62) < 1e-12)
        #expect(abs(fused[1].score - 2.0 / 61) < 1e-12)
        let unweighted = ReciprocalRankFusion(k: 60).fuse([["a", "b"], ["c", "b"]], weights: [1])
        #expect(abs(unweighted[0].score - 2.0 / 62) < 1e-12)
        // "both" at vector rank 20 and text rank 40 against "t1" first in the text list only:
        // unweighted 1/80 + 1/100 = 0.0225 beats 1/61 = 0.0164; with the text list at 2, 2/61 = 0.0328 beats
        // 1/80 + 2/100 = 0.0325.
        let vector = (1...19).map { "v\($0)" } + ["both"]
        let text = ["t1"] + (2...39).map { "t\($0)" } + ["both"]
        #expect(ReciprocalRankFusion(k: 60).fuse([vector, text]).first?.id == "both")
        #expect(ReciprocalRankFusion(k: 60).fuse([vector, text], weights: [1, 2]).first?.id == "t1")
    }

    @Test("questions that name a number (trade id, date, year) weight the full-text list up")
    func exactTermQuestions() {
        #expect(DocumentIndex.namesExactTerms("Why did trade 586 lose so much?"))
        #expect(DocumentIndex.namesExactTerms("Why did the bot trade the way it did on 2024-06-19?"))
        #expect(DocumentIndex.namesExactTerms("What went wrong in April 2025?"))
        #expect(!DocumentIndex.namesExactTerms("Why does the bot lose money on Fridays?"))
        #expect(!DocumentIndex.namesExactTerms("Which weekday is the most profitable?"))
        #expect(DocumentIndexConfiguration().exactTermTextWeight == 2)
    }
}
