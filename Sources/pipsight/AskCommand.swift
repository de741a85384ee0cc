import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Ollama
import PipsightCore
import PostgresStore
import RAG

/// `pipsight ask "question"`: an answer from the stored backtests, streamed to the terminal, with its sources.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask a question about the stored backtests; numbers come from SQL, context from retrieval.",
        discussion: """
            Uses Ollama's chat model when Ollama answers (PIPSIGHT_OLLAMA_URL, PIPSIGHT_OLLAMA_CHAT_MODEL); otherwise \
            answers offline from the computed facts and the best documents, and says that no language model was used.
            """)

    @Argument(help: "The question, in quotes.")
    var question: String

    @Option(name: .customLong("backtest"), help: "Only this backtest (id or the 8-character prefix); repeatable.")
    var backtests: [String] = []

    @Option(help: "How many documents to retrieve (1–50).")
    var k: Int = QueryRequest.defaultK

    @Flag(help: "Print the whole response as JSON instead of streaming the answer.")
    var json = false

    @Flag(help: "Never use Ollama: answer from the facts and documents only.")
    var offline = false

    @Option(help: "The prompts directory (default: $PIPSIGHT_PROMPTS_DIR, else ./prompts).")
    var prompts: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = database.logger("pipsight.ask")
        let ollamaConfiguration = try await Terminal.run { try OllamaConfiguration.fromEnvironment() }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let result: Result<QueryResponse, any Error>
        do {
            result = .success(try await Terminal.run { try await answer(httpClient: httpClient, ollama: ollamaConfiguration, logger: logger) })
        } catch {
            result = .failure(error)
        }
        try await httpClient.shutdown()
        let response = try result.get()
        if json {
            try printJSON(response)
        } else {
            print("\n")
            print(AnswerFooter.render(response))
        }
    }

    func answer(httpClient: HTTPClient, ollama configuration: OllamaConfiguration, logger: Logger) async throws -> QueryResponse {
        let (question, backtests, k, json, offline) = (question, backtests, k, json, offline)
        let promptsDirectory = PromptTemplates.locate(explicit: prompts)
        return try await database.withStore(label: "pipsight.ask") { store in
            let ids = try await BacktestReference.resolve(backtests, in: store)
            let ollama = OllamaClient(httpClient: httpClient, configuration: configuration, logger: logger)
            let retriever = try await QueryService.openIndex(store: store, ollama: ollama, offline: offline, logger: logger)
            try await IndexFreshness.ensureIndexed(ids, store: store, index: retriever.index)
            let models: ModelSelector = offline
                ? .offlineOnly(reason: "--offline was given", logger: logger) : .ollama(client: ollama, logger: logger)
            let service = QueryService(
                facts: FactBuilder(source: store, logger: logger), retriever: retriever, models: models,
                promptsDirectory: promptsDirectory, logger: logger)
            let request = QueryRequest(question: question, backtestIds: ids.isEmpty ? nil : ids, k: k)
            if json { return try await service.answer(request) }
            var final: QueryResponse?
            for try await event in service.stream(request) {
                switch event {
                case .token(let text):
                    FileHandle.standardOutput.write(Data(text.utf8))
                case .done(let response):
                    final = response
                }
            }
            guard let final else { throw PipsightError(.ollamaError, "the answer ended without its final response") }
            return final
        }
    }
}

/// Backtest ids from the command line: a full UUID, or the 8-character prefix `pipsight backtests` shows.
enum BacktestReference {
    static func resolve(_ references: [String], in store: BacktestStore) async throws -> [UUID] {
        guard !references.isEmpty else { return [] }
        var all: [BacktestSummary]?
        var ids: [UUID] = []
        for reference in references {
            if let id = UUID(uuidString: reference) {
                ids.append(id)
                continue
            }
            if all == nil { all = try await store.list() }
            let matches = (all ?? []).filter { $0.id.uuidString.lowercased().hasPrefix(reference.lowercased()) }
            guard matches.count == 1, let match = matches.first else {
                throw PipsightError(
                    matches.isEmpty ? .notFound : .badRequest,
                    matches.isEmpty ? "no backtest id starts with \"\(reference)\": see `pipsight backtests`"
                        : "\"\(reference)\" matches \(matches.count) backtests: give more of the id")
            }
            ids.append(match.id)
        }
        return ids
    }
}

/// Indexes, before the first question, the backtests that have no documents yet.
enum IndexFreshness {
    static func ensureIndexed(_ ids: [UUID], store: BacktestStore, index: DocumentIndex) async throws {
        let candidates = ids.isEmpty ? try await store.list().map(\.id) : ids
        for id in candidates where try await index.documents(backtestID: id).isEmpty {
            Terminal.error("indexing backtest \(id.uuidString.lowercased().prefix(8)) for its first question…")
            try await index.index(backtestID: id)
        }
    }
}

/// The lines printed under a streamed answer: sources, mode, models and timings.
enum AnswerFooter {
    static func render(_ response: QueryResponse) -> String {
        var lines: [String] = []
        if let notice = response.notice { lines.append("note: \(notice)") }
        if let notice = response.models.embeddingNotice { lines.append("note: \(notice)") }
        if !response.citations.facts.isEmpty {
            lines.append("facts:")
            for fact in response.citations.facts { lines.append("  [\(fact.id)] \(fact.sentence) — \(fact.source)") }
        }
        if !response.citations.documents.isEmpty {
            lines.append("documents:")
            for document in response.citations.documents {
                lines.append("  [\(document.ref)] \(document.title) (\(document.id))")
            }
        }
        let chat = response.models.chat ?? "none"
        let timings = response.timings
        lines.append(
            "mode: \(response.mode.rawValue) · chat model: \(chat) · embedding: \(response.models.embedding) · "
                + String(format: "retrieval %.0f ms · facts %.0f ms · generation %.0f ms", timings.retrievalMs, timings.factsMs, timings.generationMs))
        return lines.joined(separator: "\n")
    }
}
