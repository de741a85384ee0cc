import AsyncHTTPClient
import Foundation
import Ollama
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

@testable import RAG

/// The embedder follows the chat model's rule: Ollama's embedding model when it answers and has it pulled,
/// else the offline embedder, and the answer says which.
@Suite("EmbedderSelection: Ollama embeddings when available, offline otherwise")
struct EmbedderSelectionTests {
    static let generator = SampleGenerator(seed: 31, trades: 60)

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
                let client = QueryServiceTests.ollamaClient(stub.url)
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

    @Test("stub without the embedding model: the offline embedder retrieves and the answer says what to pull")
    func modelMissing() async throws {
        try await Self.withBacktest { store, id in
            let options = OllamaStubServer.Options(models: [.chat("llama3.2")])
            try await OllamaStubServer.withServer(options) { stub in
                let client = QueryServiceTests.ollamaClient(stub.url)
                let response = try await Self.service(store: store, client: client)
                    .answer(QueryRequest(question: "What was the largest loss?", backtestIds: [id]))
                #expect(response.models.embedding == OfflineEmbedder().modelName)
                let notice = try #require(response.models.embeddingNotice)
                #expect(notice.contains("ollama pull nomic-embed-text"))
                #expect(stub.requests(to: "/api/embed").isEmpty)
                #expect(!response.citations.documents.isEmpty)
            }
        }
    }

    @Test("Ollama unreachable: the offline embedder retrieves and the answer says Ollama is not reachable")
    func unreachable() async throws {
        try await Self.withBacktest { store, id in
            let client = QueryServiceTests.ollamaClient(try #require(URL(string: "http://127.0.0.1:9")))
            let response = try await Self.service(store: store, client: client)
                .answer(QueryRequest(question: "What was the largest loss?", backtestIds: [id]))
            #expect(response.models.embedding == OfflineEmbedder().modelName)
            #expect(response.models.embeddingNotice?.contains("not reachable") == true)
            #expect(!response.citations.documents.isEmpty)
        }
    }
}
