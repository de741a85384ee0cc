import Foundation
import PipsightCore
import Testing
@testable import Ollama

@Suite struct ModelDescriptorTests {
    @Test func theRepositoryDescriptorsLoad() throws {
        let descriptors = try ModelDescriptor.load(from: modelsDirectory)
        let tags = Set(descriptors.map(\.tag))
        #expect(tags.isSuperset(of: ["nomic-embed-text", "all-minilm", "mxbai-embed-large", "llama3.2"]))
        // Figures from the models' cards: nomic-embed-text v1.5 is 768-dimensional with an 8192-token context and
        // the task prefixes `search_query: ` / `search_document: `; all-MiniLM-L6 is 384-dimensional; mxbai 1024.
        let nomic = try #require(descriptors.first { $0.tag == "nomic-embed-text" })
        #expect(nomic.kind == .embedding)
        #expect(nomic.dimension == 768)
        #expect(nomic.contextTokens == 8192)
        #expect(nomic.prefix(for: .query) == "search_query: ")
        #expect(nomic.prefix(for: .document) == "search_document: ")
        #expect(descriptors.first { $0.tag == "all-minilm" }?.dimension == 384)
        #expect(descriptors.first { $0.tag == "mxbai-embed-large" }?.dimension == 1024)
        let llama = try #require(descriptors.first { $0.tag == "llama3.2" })
        #expect(llama.kind == .chat)
        #expect(llama.contextTokens == 131_072)
        #expect(descriptors.filter { $0.kind == .chat }.allSatisfy { $0.dimension == nil })
    }

    @Test func findsATagWrittenWithLatest() throws {
        #expect(try ModelDescriptor.load(tag: "nomic-embed-text:latest", from: modelsDirectory).dimension == 768)
        #expect(try ModelDescriptor.load(tag: "qwen2.5:7b", from: modelsDirectory).kind == .chat)
    }

    @Test func anUnknownTagSaysWhatIsKnown() {
        #expect {
            try ModelDescriptor.load(tag: "no-such-model", from: modelsDirectory)
        } throws: { error in
            guard let error = error as? PipsightError else { return false }
            return error.code == .configuration && error.message.contains("no-such-model")
                && error.message.contains("nomic-embed-text")
        }
    }

    @Test func aBadDescriptorNamesItsFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descriptors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"tag":"x","kind":"embedding","context_tokens":512}"#.utf8)
            .write(to: directory.appendingPathComponent("x.json"))
        #expect {
            try ModelDescriptor.load(from: directory)
        } throws: { error in
            guard let error = error as? PipsightError else { return false }
            return error.location?.file == "x.json" && error.message.contains("dimension")
        }
        try Data("not json".utf8).write(to: directory.appendingPathComponent("x.json"))
        #expect {
            try ModelDescriptor.load(from: directory)
        } throws: { error in
            (error as? PipsightError)?.location?.file == "x.json"
        }
    }

    @Test func maxInputCharactersFollowsTheContext() {
        // (512 - 16 reserved tokens) × 2 characters per token - 10 prefix characters = 982.
        let descriptor = ModelDescriptor(tag: "m", kind: .embedding, dimension: 4, contextTokens: 512,
                                         charactersPerToken: 2)
        #expect(descriptor.maxInputCharacters(prefixLength: 10) == 982)
        // A smaller default_context_tokens (the num_ctx Pipsight asks for) is the budget: (256 - 16) × 2 = 480.
        var smaller = descriptor
        smaller.defaultContextTokens = 256
        #expect(smaller.maxInputCharacters() == 480)
    }
}
