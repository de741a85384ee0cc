import Foundation
import MiniLM
import PipsightCore
@testable import RAG
import Testing

/// Chunk size chosen from the embedding model's window, and chunks that lead with the document's title.
@Suite("Chunk size from the embedding model's window")
struct ChunkSizeTests {
    /// An embedder with a given window (nil: none known).
    struct WindowEmbedder: EmbeddingModel {
        let modelName = "window-test"
        let dimension = 4
        let maxInputCharacters: Int?

        func embed(_ texts: [String], purpose: EmbeddingPurpose) async throws -> [[Float]] {
            texts.map { _ in [1, 0, 0, 0] }
        }
    }

    @Test("the model's window sets the chunk size unless PIPSIGHT_CHUNK_CHARACTERS or the configuration does")
    func chunkSizeFollowsTheWindow() {
        let defaults = DocumentIndexConfiguration()
        #expect(defaults.chunkCharacters(for: WindowEmbedder(maxInputCharacters: 300)) == 300)
        #expect(defaults.chunkCharacters(for: WindowEmbedder(maxInputCharacters: nil)) == 2000)
        #expect(defaults.chunkCharacters(for: OfflineEmbedder()) == 2000)
        #expect(defaults.chunkCharacters(for: MeasuredEmbeddingModel(WindowEmbedder(maxInputCharacters: 444))) == 444)
        let explicit = DocumentIndexConfiguration(maxChunkCharacters: 120)
        #expect(explicit.chunkCharacters(for: WindowEmbedder(maxInputCharacters: 300)) == 120)
        let environment = DocumentIndexConfiguration.fromEnvironment(["PIPSIGHT_CHUNK_CHARACTERS": "900"])
        #expect(environment.chunkCharacters(for: WindowEmbedder(maxInputCharacters: 300)) == 900)
        #expect(DocumentIndexConfiguration.fromEnvironment([:]).maxChunkCharacters == nil)
    }

    @Test("every chunk starts with the title and fits the limit (text keeps at least half); the pieces are the whole text")
    func chunksLeadWithTheTitle() {
        let documents = DocumentBuilder().documents(for: DocumentBuilderTests.content())
        for limit in [200, 635, 2000] {
            for document in documents {
                let chunks = EmbeddingPipeline.chunks(of: document, maxCharacters: limit, model: "m")
                // A title longer than half the limit still leaves half the limit for the text.
                let bound = max(limit, document.title.count + 1 + limit / 2)
                #expect(chunks.allSatisfy { $0.text.count <= bound }, "\(document.id) at \(limit)")
                if document.title.count < limit / 2 { #expect(chunks.allSatisfy { $0.text.count <= limit }) }
                #expect(chunks.allSatisfy { $0.text.hasPrefix(document.title + "\n") })
                #expect(chunks.map { String($0.text.dropFirst(document.title.count + 1)) }.joined() == document.text)
            }
        }
    }

    @Test("all-minilm's window: 254 tokens at 2.5 characters each, and trade and group chunks of that size fit 256 tokens")
    func miniLMChunksFitItsWindow() throws {
        let directory = MiniLMEmbeddingModel.locate()
        try #require(MiniLMEmbeddingModel.isInstalled(at: directory), "run scripts/setup")
        let model = try MiniLMEmbeddingModel.shared(directory: directory)
        #expect(model.maxInputCharacters == 635)
        let limit = DocumentIndexConfiguration().chunkCharacters(for: model)
        #expect(limit == 635)
        // The tokenizer cuts at 256; a chunk fits when its untruncated word pieces ([CLS] and [SEP] included) do.
        let unbounded = try BertTokenizer(vocabularyFile: directory.appendingPathComponent("vocab.txt").path, maxTokens: 100_000)
        let documents = DocumentBuilder().documents(for: DocumentBuilderTests.content())
        var checked = 0
        for document in documents where [.trade, .weekday, .hour, .month].contains(document.kind) {
            for chunk in EmbeddingPipeline.chunks(of: document, maxCharacters: limit, model: model.modelName) {
                let tokens = unbounded.encode(chunk.text).count
                #expect(tokens <= 256, "\(document.id): \(tokens) tokens in \(chunk.text.count) characters")
                checked += 1
            }
        }
        #expect(checked > 300)
    }
}
