import Foundation
import MiniLM
import Testing

/// The model `scripts/setup` installs, loaded once for all tests (CI runs scripts/setup before the tests).
enum ModelFixture {
    static func model() throws -> MiniLMEmbeddingModel {
        let directory = MiniLMEmbeddingModel.locate()
        try #require(MiniLMEmbeddingModel.isInstalled(at: directory),
                     "all-minilm is not installed in \(directory.path): run scripts/setup")
        return try MiniLMEmbeddingModel.shared(directory: directory)
    }

    static func tokenizer() throws -> BertTokenizer { try model().tokenizer }
}
