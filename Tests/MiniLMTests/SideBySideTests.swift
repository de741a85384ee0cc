import Foundation
import Testing

@testable import MiniLM

/// A batch with enough texts runs them side by side (one group of texts per thread at a time) instead of one pass
/// split across the threads; the vectors must not change.
@Suite("MiniLM batches run side by side")
struct SideBySideTests {
    @Test("texts are grouped in order until a group has the rows asked for; the rest form the last group")
    func grouping() {
        #expect(MiniLMEncoder.groups(of: [50, 50, 50, 0, 200, 10], rows: 128) == [0..<3, 3..<5, 5..<6])
        #expect(MiniLMEncoder.groups(of: [128, 128], rows: 128) == [0..<1, 1..<2])
        #expect(MiniLMEncoder.groups(of: [3, 4], rows: 128) == [0..<2])
        #expect(MiniLMEncoder.groups(of: [], rows: 128).isEmpty)
    }

    @Test("side by side gives each text the vector of one pass over the whole batch and of the text alone")
    func sameVectors() throws {
        let model = try ModelFixture.model()
        let encoder = MiniLMEncoder(weights: try PackedKernelTests.weights(), threads: 2)
        // 48 texts of 2 to 60 tokens, among them empty ones: more groups than 4 per thread.
        let texts = (0..<48).map { index in
            index % 11 == 0 ? "" : Array(repeating: MiniLMEmbeddingTests.texts[index % MiniLMEmbeddingTests.texts.count],
                                         count: 1 + index % 3).joined(separator: " ")
        }
        let sequences = texts.map(model.tokenizer.encode)
        let groups = MiniLMEncoder.groups(of: sequences.map(\.count), rows: MiniLMEncoder.groupRows)
        try #require(groups.count >= MiniLMEncoder.groupsPerThread * encoder.threads, "the batch must run side by side")
        let sideBySide = encoder.encode(sequences)
        let together = encoder.encodeTogether(sequences)
        #expect(sideBySide.count == texts.count)
        for index in texts.indices {
            let alone = encoder.encodeTogether([sequences[index]])[0]
            let againstTogether = MiniLMEmbeddingTests.maxDifference(sideBySide[index], together[index])
            let againstAlone = MiniLMEmbeddingTests.maxDifference(sideBySide[index], alone)
            #expect(againstTogether <= 1e-6, "text \(index): \(againstTogether) from the single pass")
            #expect(againstAlone <= 1e-6, "text \(index): \(againstAlone) from the text alone")
        }
    }
}
