import Foundation
import PipsightCore
import PipsightTesting
import Testing
@testable import Ollama

@Suite struct OllamaEmbeddingModelTests {
    private let nomic = ModelDescriptor(
        tag: "nomic-embed-text", kind: .embedding, dimension: 768, contextTokens: 8192,
        defaultContextTokens: 8192, queryPrefix: "search_query: ", documentPrefix: "search_document: ")

    @Test func prefixesFollowThePurpose() async throws {
        try await withStub { stub, client in
            let model = try OllamaEmbeddingModel(client: client, descriptor: nomic)
            let query = try await model.embed(["best weekday"], purpose: .query)
            let documents = try await model.embed(["Monday won", "Friday lost"], purpose: .document)
            #expect(embedInputs(stub) == [
                ["search_query: best weekday"],
                ["search_document: Monday won", "search_document: Friday lost"],
            ])
            // The vectors are the stub's for the prefixed texts.
            #expect(query == [OllamaStubEmbedding.vector(for: "search_query: best weekday", dimension: 768)])
            #expect(documents[1] == OllamaStubEmbedding.vector(for: "search_document: Friday lost", dimension: 768))
            // num_ctx asks for the descriptor's window (Ollama's default can be shorter).
            let options = stub.requests(to: "/api/embed").first?.body?.objectValue?["options"]
            #expect(options == .object(["num_ctx": .number(8192)]))
        }
    }

    @Test func textsAreSentInBatchesOfTheConfiguredSize() async throws {
        try await withStub { stub, client in
            let model = try OllamaEmbeddingModel(client: client, descriptor: nomic, batchSize: 4)
            let texts = (1...10).map { "trade \($0)" }
            let vectors = try await model.embed(texts, purpose: .document)
            #expect(vectors.count == 10)
            #expect(embedInputs(stub).map(\.count) == [4, 4, 2])
            #expect(embedInputs(stub).flatMap { $0 } == texts.map { "search_document: " + $0 })
            #expect(model.dimension == 768)
            #expect(vectors.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 })
        }
    }

    @Test func aDimensionThatDisagreesWithTheDescriptorIsAnError() async throws {
        try await withStub { _, client in
            var wrong = nomic
            wrong.dimension = 1024
            let model = try OllamaEmbeddingModel(client: client, descriptor: wrong)
            let error = await pipsightError { _ = try await model.embed(["x"], purpose: .document) }
            #expect(error?.code == .ollamaBadResponse)
            #expect(error?.message.contains("768-dimensional") == true)
        }
    }

    @Test func aChatDescriptorIsRefused() throws {
        let client = OllamaClient(httpClient: .shared, logger: quietLogger)
        #expect(throws: PipsightError.self) {
            try OllamaEmbeddingModel(client: client, descriptor: ModelDescriptor(tag: "llama3.2", kind: .chat, contextTokens: 8192))
        }
    }

    /// The mean of `pieces`' stub vectors weighted by their length, normalised: computed here from what the stub
    /// received, independently of the adapter.
    private func expectedVector(pieces: [String], prefix: String, dimension: Int) -> [Float] {
        var sum = [Double](repeating: 0, count: dimension)
        for piece in pieces {
            let text = String(piece.dropFirst(prefix.count))
            let vector = OllamaStubEmbedding.vector(for: piece, dimension: dimension)
            for index in 0..<dimension { sum[index] += Double(text.count) * Double(vector[index]) }
        }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return sum.map { Float($0 / norm) }
    }

    @Test func aLongTextIsSplitEmbeddedAndAveragedWithoutLosingAnything() async throws {
        // The stub's small model: 64 tokens of 4 characters = 256 characters. The descriptor is more cautious
        // (2.5 characters a token), so every piece fits on the first try.
        let stubModel = OllamaStubServer.Model.embedding("tiny-embed", dimension: 32, contextTokens: 64)
        let descriptor = ModelDescriptor(tag: "tiny-embed", kind: .embedding, dimension: 32, contextTokens: 64,
                                         documentPrefix: "doc: ")
        let text = (1...40).map { "Trade \($0) closed at take profit for 12.5 pips." }.joined(separator: " ")
        try await withStub(OllamaStubServer.Options(models: [stubModel])) { stub, client in
            let model = try OllamaEmbeddingModel(client: client, descriptor: descriptor)
            let vectors = try await model.embed(["short one", text], purpose: .document)
            let sent = embedInputs(stub).flatMap { $0 }
            #expect(sent.allSatisfy { $0.hasPrefix("doc: ") && $0.count <= 256 })
            // Nothing lost: the pieces after the short text are the long text, in order.
            #expect(sent.first == "doc: short one")
            let pieces = Array(sent.dropFirst())
            #expect(pieces.count > 1)
            #expect(pieces.map { $0.dropFirst(5) }.joined() == text)
            #expect(vectors.count == 2)
            let expected = expectedVector(pieces: pieces, prefix: "doc: ", dimension: 32)
            for (actual, wanted) in zip(vectors[1], expected) { #expect(abs(actual - wanted) < 1e-5) }
        }
    }

    @Test func anOptimisticEstimateIsCorrectedByHalving() async throws {
        // The descriptor believes 8 characters a token; the stub counts 2 (so 64 tokens = 128 characters): Ollama
        // says "too long" and the adapter halves the inputs until they fit.
        let stubModel = OllamaStubServer.Model.embedding("tiny-embed", dimension: 16, contextTokens: 64)
        let descriptor = ModelDescriptor(tag: "tiny-embed", kind: .embedding, dimension: 16, contextTokens: 64,
                                         charactersPerToken: 8)
        let text = String(repeating: "EURUSD long 1.0834 ", count: 20)
        try await withStub(OllamaStubServer.Options(models: [stubModel], charactersPerToken: 2)) { stub, client in
            let model = try OllamaEmbeddingModel(client: client, descriptor: descriptor)
            let vectors = try await model.embed([text, "ok"], purpose: .document)
            #expect(vectors.count == 2)
            let accepted = stub.requests(to: "/api/embed").filter { request in
                guard case .array(let inputs)? = request.body?.objectValue?["input"] else { return false }
                return inputs.allSatisfy { if case .string(let s) = $0 { s.count <= 128 } else { false } }
            }
            let acceptedTexts = accepted.flatMap { request -> [String] in
                guard case .array(let inputs)? = request.body?.objectValue?["input"] else { return [] }
                return inputs.compactMap { if case .string(let s) = $0 { s } else { nil } }
            }
            #expect(acceptedTexts.last == "ok")
            let pieces = Array(acceptedTexts.dropLast())
            #expect(pieces.joined() == text)
            let expected = expectedVector(pieces: pieces, prefix: "", dimension: 16)
            for (actual, wanted) in zip(vectors[0], expected) { #expect(abs(actual - wanted) < 1e-5) }
        }
    }

    @Test func noTextsNoRequest() async throws {
        try await withStub { stub, client in
            let model = try OllamaEmbeddingModel(client: client, descriptor: nomic)
            #expect(try await model.embed([], purpose: .query).isEmpty)
            #expect(stub.requests.isEmpty)
        }
    }
}
