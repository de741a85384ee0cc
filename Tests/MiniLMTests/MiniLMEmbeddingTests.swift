import Foundation
import MiniLM
import PipsightCore
import Testing

/// Expected values: the first six of "This is an example sentence" are the published output of
/// sentence-transformers/all-MiniLM-L6-v2; the others come from scripts/bench/embed_ref.py (an independent numpy
/// forward pass over Hugging Face `tokenizers` ids, which reproduces the published values to 1e-7).
@Suite("MiniLMEmbeddingModel: all-MiniLM-L6-v2 on BLAS")
struct MiniLMEmbeddingTests {
    static let tolerance: Float = 1e-5

    /// The largest element-wise difference of two vectors; NaN when either holds a NaN (which `max()` would skip),
    /// infinity when their lengths differ, so that a comparison with a tolerance fails on both.
    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        var worst: Float = 0
        for (x, y) in zip(a, b) {
            let difference = abs(x - y)
            if !(difference <= worst) { worst = difference }
        }
        return worst
    }

    static func expectClose(_ vector: [Float], _ expected: [(Int, Float)], _ label: String) {
        for (index, value) in expected {
            #expect(abs(vector[index] - value) <= tolerance, "\(label)[\(index)] = \(vector[index]), expected \(value)")
        }
    }

    @Test func thePublishedExampleVector() async throws {
        let model = try ModelFixture.model()
        #expect(model.modelName == "all-minilm")
        #expect(model.dimension == 384)
        let vector = try await model.embed(["This is an example sentence"], purpose: .query)[0]
        Self.expectClose(vector, [
            (0, 0.0676569), (1, 0.0634959), (2, 0.0487131), (3, 0.0793050), (4, 0.0374481), (5, 0.0026528),
            (6, 0.0393750), (7, -0.0070984), (100, -0.0103924), (383, -0.0422287),
        ], "example")
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    static let texts = [
        "Why did trade 1234 lose money on Tuesday?",
        "The largest losing trade was a sell of EURUSD opened at 14:00 and closed by its stop loss.",
        "",
        Array(repeating: "profit", count: 300).joined(separator: " "),
        "Café résumé €1.0850",
    ]
    static let expected: [[(Int, Float)]] = [
        [(0, -0.0360293), (1, 0.0021684), (2, 0.0306573), (7, 0.0327272), (100, 0.0951364), (383, -0.0240136)],
        [(0, -0.0001478), (1, 0.0084039), (2, 0.0272044), (7, 0.1114409), (100, 0.0871961), (383, 0.1079591)],
        [(0, -0.1188384), (1, 0.0482987), (2, -0.0025481), (7, 0.0007008), (100, 0.0359495), (383, -0.0157173)],
        [(0, 0.0482429), (1, -0.0197738), (2, -0.0246082), (7, -0.0309178), (100, 0.0087361), (383, -0.0582004)],
        [(0, -0.0057179), (1, -0.0032694), (2, 0.0147839), (7, 0.0418140), (100, -0.0197605), (383, -0.0923110)],
    ]

    @Test func aBatchOfDifferentLengthsMatchesTheReferenceAndSingleTexts() async throws {
        let model = try ModelFixture.model()
        let batch = try await model.embed(Self.texts, purpose: .document)
        #expect(batch.count == Self.texts.count)
        for (index, text) in Self.texts.enumerated() {
            Self.expectClose(batch[index], Self.expected[index], "batch \(index)")
            let single = try await model.embed([text], purpose: .document)[0]
            let difference = Self.maxDifference(single, batch[index])
            #expect(difference < 1e-6, "text \(index): batch and single differ by \(difference)")
        }
    }

    @Test func batchesSplitByTokenBudgetGiveTheSameVectors() throws {
        let model = try ModelFixture.model()
        let small = try MiniLMEmbeddingModel(directory: model.directory, maxTokensPerBatch: 256)
        let whole = model.embedNow(Self.texts)
        let split = small.embedNow(Self.texts)
        for (a, b) in zip(whole, split) { #expect(Self.maxDifference(a, b) < 1e-6) }
    }

    @Test func oneThreadAndSeveralGiveTheSameVectors() throws {
        let model = try ModelFixture.model()
        // Long texts and a batch with more rows than columns exercise both ways of splitting an sgemm.
        let texts = Self.texts + (0..<12).map { i in Array(repeating: "loss on friday \(i)", count: 60).joined(separator: " ") }
        let one = try MiniLMEmbeddingModel(directory: model.directory, threads: 1)
        let three = try MiniLMEmbeddingModel(directory: model.directory, threads: 3)
        #expect(one.encoder.threads == 1)
        #expect(three.encoder.threads == 3)
        let reference = one.embedNow(texts)
        for (index, vector) in three.embedNow(texts).enumerated() {
            let difference = Self.maxDifference(vector, reference[index])
            #expect(difference < 1e-6, "text \(index): 1 and 3 threads differ by \(difference)")
        }
        Self.expectClose(reference[0], Self.expected[0], "one thread")
    }

    @Test func aMissingModelSaysToRunSetup() {
        let error = #expect(throws: PipsightError.self) {
            _ = try MiniLMEmbeddingModel(directory: URL(fileURLWithPath: "/nonexistent/all-minilm"))
        }
        #expect(error?.code == .embeddingModelMissing)
        #expect(error?.message.contains("scripts/setup") == true)
    }
}
