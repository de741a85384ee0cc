import AsyncHTTPClient
import Foundation
import Ollama
import PipsightCore
import PipsightTesting
import PostgresStore
import MiniLM
import Testing

@testable import RAG

/// `auto` (the default): Ollama's embedding model when it answers and has it pulled, else the built-in all-minilm
/// (the hashing embedder only when its files are absent), and the answer says which.
@Suite("EmbedderSelection: Ollama embeddings when available, the built-in all-minilm otherwise")
struct EmbedderSelectionTests {
    // Small: three tests embed its documents with the built-in model (about 0.1 s of CPU per document).
    static let generator = SampleGenerator(seed: 31, trades: 15)

    /// A store with the generated report ingested and its documents stored with the offline embedder.
    static func withBacktest<T: Sendable>(_ body: @Sendable @escaping (BacktestStore, UUID) async throws -> T) async throws -> T {
        try await TestDatabase.withStore { store, _ in
            let id = try await store.ingest(ImportInput(name: "report.json", data: generator.write(.reportJSON))).backtestID
            let offline = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            try await offline.index(backtestID: id)
            return try await body(store, id)
        }
    }

    static func service(store: BacktestStore, client: OllamaClient) -> QueryService {
        QueryService.standard(
            store: store, ollama: client, promptsDirectory: QueryServiceTests.promptsDirectory, logger: TestDatabase.logger)
    }

    @Test("stub up: documents get vectors of the stub's embedding model and the question is embedded by it")
    func ollamaEmbeddings() async throws {
        try await Self.withBacktest { store, id in
            try await OllamaStubServer.withServer { stub in
                // nomic-embed-text rather than the default all-minilm, so the stub's vectors (768 dimensions) cannot
                // be mistaken for the built-in model's.
                var configuration = QueryServiceTests.ollamaClient(stub.url).configuration
                configuration.embeddingModel = "nomic-embed-text"
                let client = OllamaClient(httpClient: .shared, configuration: configuration, logger: TestDatabase.logger)
                let retriever = try await QueryService.openIndex(store: store, ollama: client, logger: TestDatabase.logger)
                #expect(retriever.selection.usesOllama)
                #expect(retriever.embeddingModelName == "nomic-embed-text")
                #expect(retriever.selection.notice == nil)
                let documents = try await retriever.index.documents(backtestID: id)
                #expect(!documents.isEmpty)
                // Every document now has vectors of the stub's model (768 dimensions, as the stub declares).
                let pending = try await retriever.index.repository.pending(model: "nomic-embed-text", backtestID: id)
                #expect(pending.isEmpty)
                let stored = try await retriever.index.repository.vectors(model: "nomic-embed-text", dimension: 768)
                #expect(stored.count >= documents.count)
                #expect(retriever.index.vectors.count == stored.count)

                let question = "Which trades lost the most on a Monday?"
                let response = try await Self.service(store: store, client: client)
                    .answer(QueryRequest(question: question, backtestIds: [id]))
                #expect(response.models.embedding == "nomic-embed-text")
                #expect(response.models.embeddingNotice == nil)
                let embedded = stub.requests(to: "/api/embed").compactMap(\.body?.objectValue?["input"])
                let asked = embedded.contains { input in
                    if case .array(let values) = input {
                        return values.contains { if case .string(let text) = $0 { text.hasSuffix(question) } else { false } }
                    }
                    if case .string(let text) = input { return text.hasSuffix(question) }
                    return false
                }
                #expect(asked)
            }
        }
    }

    @Test("stub without the embedding model: the built-in all-minilm retrieves and the answer says what to pull")
    func modelMissing() async throws {
        try await Self.withBacktest { store, id in
            let options = OllamaStubServer.Options(models: [.chat("llama3.2")])
            try await OllamaStubServer.withServer(options) { stub in
                let client = QueryServiceTests.ollamaClient(stub.url)
                let response = try await Self.service(store: store, client: client)
                    .answer(QueryRequest(question: "What was the largest loss?", backtestIds: [id]))
                #expect(response.models.embedding == MiniLMEmbeddingModel.name)
                let notice = try #require(response.models.embeddingNotice)
                #expect(notice.contains("built-in embedding model (all-minilm)"))
                #expect(notice.contains("ollama pull all-minilm"))
                #expect(stub.requests(to: "/api/embed").isEmpty)
                #expect(!response.citations.documents.isEmpty)
            }
        }
    }

    @Test("Ollama unreachable: the built-in all-minilm retrieves and the answer says Ollama is not reachable")
    func unreachable() async throws {
        try await Self.withBacktest { store, id in
            let client = QueryServiceTests.ollamaClient(try #require(URL(string: "http://127.0.0.1:9")))
            let response = try await Self.service(store: store, client: client)
                .answer(QueryRequest(question: "What was the largest loss?", backtestIds: [id]))
            #expect(response.models.embedding == MiniLMEmbeddingModel.name)
            #expect(response.models.embeddingNotice?.contains("not reachable") == true)
            #expect(!response.citations.documents.isEmpty)
        }
    }

    @Test("switching embedder: the index records the model of each vector and the new model embeds every document")
    func switchingReembeds() async throws {
        try await Self.withBacktest { store, id in
            let hashingName = OfflineEmbedder().modelName
            let before = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            let documents = try await before.documents(backtestID: id).count
            #expect(try await before.repository.pending(model: MiniLMEmbeddingModel.name, backtestID: id).count == documents)
            let retriever = try await QueryService.openIndex(store: store, ollama: nil, choice: .auto, logger: TestDatabase.logger)
            #expect(retriever.selection.source == .builtin)
            #expect(retriever.embeddingModelName == MiniLMEmbeddingModel.name)
            #expect(try await retriever.index.repository.pending(model: MiniLMEmbeddingModel.name, backtestID: id).isEmpty)
            let stored = try await retriever.index.repository.vectors(model: MiniLMEmbeddingModel.name, dimension: 384)
            #expect(stored.count >= documents)
            // The hashing embedder's vectors are kept apart, under their own model name.
            #expect(try await retriever.index.repository.pending(model: hashingName, backtestID: id).isEmpty)
        }
    }

    @Test("builtin:all-minilm without its files is an error that says to run scripts/setup; auto falls back to hashing")
    func missingModelFiles() async throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent/pipsight-minilm")
        let error = await #expect(throws: PipsightError.self) {
            _ = try await EmbedderSelection.select(choice: .builtin, client: nil, builtinDirectory: nowhere)
        }
        #expect(error?.code == .embeddingModelMissing)
        #expect(error?.message.contains("scripts/setup") == true)
        let fallback = try await EmbedderSelection.select(choice: .auto, client: nil, builtinDirectory: nowhere)
        #expect(fallback.source == .hashing)
        #expect(fallback.embedder.modelName == OfflineEmbedder().modelName)
        #expect(fallback.notice?.contains("run scripts/setup") == true)
        // Installed: the built-in model, and no notice when it was asked for explicitly.
        let builtin = try await EmbedderSelection.select(choice: .builtin, client: nil)
        #expect(builtin.source == .builtin)
        #expect(builtin.notice == nil)
    }

    @Test("ollama:<model> pins the model and fails instead of falling back")
    func pinnedOllamaModel() async throws {
        let unreachable = QueryServiceTests.ollamaClient(try #require(URL(string: "http://127.0.0.1:9")))
        let error = await #expect(throws: PipsightError.self) {
            _ = try await EmbedderSelection.select(choice: .ollama(model: "all-minilm"), client: unreachable)
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("PIPSIGHT_EMBEDDER=ollama:all-minilm") == true)
        try await OllamaStubServer.withServer { stub in
            let selection = try await EmbedderSelection.select(
                choice: .ollama(model: "nomic-embed-text"), client: QueryServiceTests.ollamaClient(stub.url))
            #expect(selection.source == .ollama)
            #expect(selection.embedder.modelName == "nomic-embed-text")
            #expect(selection.embedder.dimension == 768)
        }
    }

    @Test(arguments: [
        ("auto", EmbedderChoice.auto), ("", .auto), ("builtin:all-minilm", .builtin), ("BUILTIN", .builtin),
        ("ollama:nomic-embed-text", .ollama(model: "nomic-embed-text")), ("ollama:qwen3-embedding:0.6b", .ollama(model: "qwen3-embedding:0.6b")),
    ])
    func choicesParse(text: String, expected: EmbedderChoice) throws {
        #expect(try EmbedderChoice(parsing: text) == expected)
        #expect(try EmbedderChoice.fromEnvironment(["PIPSIGHT_EMBEDDER": text]) == expected)
    }

    @Test(arguments: ["ollama:", "builtin:bge-m3", "minilm", "hashing"])
    func invalidChoicesNameTheVariable(text: String) {
        let error = #expect(throws: PipsightError.self) { _ = try EmbedderChoice(parsing: text) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("PIPSIGHT_EMBEDDER") == true)
    }
}
