import RAG
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
}
