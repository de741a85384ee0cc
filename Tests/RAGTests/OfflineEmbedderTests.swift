import PipsightCore
import RAG
import Testing

@Suite("Offline embedder")
struct OfflineEmbedderTests {
    static func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test("vectors are deterministic, unit length and of the declared dimension")
    func deterministicUnit() async throws {
        let embedder = OfflineEmbedder()
        let texts = ["Trade 17 long EURUSD on Tuesday", "", "€ ü 1.08345", "Trade 17 long EURUSD on Tuesday"]
        let first = try await embedder.embed(texts, purpose: .document)
        let second = try await OfflineEmbedder().embed(texts, purpose: .query)
        #expect(first == second)
        #expect(first.count == texts.count)
        for vector in first {
            #expect(vector.count == 384)
            #expect(abs(Self.dot(vector, vector) - 1) < 1e-5)
        }
        #expect(first[0] == first[3])
    }

    @Test("related texts are closer than unrelated ones; synonyms meet (long = buy, losing = loss)")
    func similarity() async throws {
        let embedder = OfflineEmbedder()
        let doc = embedder.vector(for: "Trade 12: long (buy) EURUSD opened Tuesday 2024-03-05 at 08:15, a losing trade (loss)")
        let related = embedder.vector(for: "losing long trades on tuesday")
        let unrelated = embedder.vector(for: "optimisation pass parameters stop loss pips")
        #expect(Self.dot(doc, related) > Self.dot(doc, unrelated))
        let buy = embedder.vector(for: "buy")
        #expect(Self.dot(embedder.vector(for: "long"), buy) > 0.5)
        #expect(Self.dot(embedder.vector(for: "tue"), embedder.vector(for: "tuesday")) > 0.5)
    }

    @Test("the dimension is part of the model name, so two dimensions are two vector spaces")
    func modelName() {
        #expect(OfflineEmbedder(dimension: 64).modelName != OfflineEmbedder().modelName)
        #expect(OfflineEmbedder(dimension: 64).vector(for: "x").count == 64)
    }
}
