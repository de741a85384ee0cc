import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Ollama
import PipsightCore
import RAG

/// `pipsight doctor`: which answer mode is active (Ollama or the offline default) and why, with the models.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say whether Ollama or the offline default answers questions, and with which models.")

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "The prompts directory (default: $PIPSIGHT_PROMPTS_DIR, else ./prompts).")
    var prompts: String?

    /// What `doctor` found.
    struct Report: Encodable {
        var mode: AnswerMode
        var reason: String?
        var ollamaURL: String
        var ollamaVersion: String?
        var chatModel: String
        var chatModelActive: Bool
        var embeddingModelForRetrieval: String
        /// `PIPSIGHT_EMBEDDER` (`auto`, `builtin:all-minilm`, `ollama:<model>`).
        var embedderSetting: String
        /// Where retrieval embeds: `ollama`, `builtin` (all-minilm in-process) or `hashing` (model files missing).
        var embedder: String?
        /// Why retrieval does not use Ollama's embedding model under `auto`; or why no embedder can be used.
        var embeddingReason: String?
        var ollamaEmbeddingModel: String
        var ollamaEmbeddingModelPulled: Bool?
        var promptsDirectory: String
        var promptsReadable: Bool
        var promptsError: String?
    }

    func run() async throws {
        let configuration = try await Terminal.run { try OllamaConfiguration.fromEnvironment() }
        // Before the HTTP client exists: a bad value ends the command, and the client must be shut down first.
        let choice = try await Terminal.run { try EmbedderChoice.fromEnvironment() }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        var logger = Logger(label: "pipsight.doctor")
        logger.logLevel = .error
        let client = OllamaClient(httpClient: httpClient, configuration: configuration, logger: logger)
        let selection = await ModelSelector.probeOllama(client: client)
        var embeddingPulled: Bool?
        if selection.ollamaVersion != nil || selection.reason?.contains("not reachable") == false {
            embeddingPulled = try? await client.isPulled(configuration.embeddingModel)
        }
        let embedderSelection: Result<EmbedderSelection, any Error>
        do {
            embedderSelection = .success(try await EmbedderSelection.select(choice: choice, client: client))
        } catch {
            embedderSelection = .failure(error)
        }
        try await httpClient.shutdown()
        let promptsDirectory = PromptTemplates.locate(explicit: prompts)
        var promptsError: String?
        do {
            _ = try PromptTemplates.load(from: promptsDirectory)
        } catch {
            promptsError = (error as? PipsightError)?.message ?? "\(error)"
        }
        let report = Report(
            mode: selection.mode, reason: selection.reason, ollamaURL: configuration.baseURL.absoluteString,
            ollamaVersion: selection.ollamaVersion, chatModel: configuration.chatModel,
            chatModelActive: selection.mode == .ollama,
            embeddingModelForRetrieval: (try? embedderSelection.get().embedder.modelName) ?? "none",
            embedderSetting: choice.description, embedder: (try? embedderSelection.get().source.rawValue),
            embeddingReason: Self.embeddingReason(embedderSelection),
            ollamaEmbeddingModel: configuration.embeddingModel, ollamaEmbeddingModelPulled: embeddingPulled,
            promptsDirectory: promptsDirectory.path, promptsReadable: promptsError == nil, promptsError: promptsError)
        if json {
            try printJSON(report)
            return
        }
        print(Self.render(report))
    }

    static func embeddingReason(_ selection: Result<EmbedderSelection, any Error>) -> String? {
        switch selection {
        case .success(let selection): selection.reason
        case .failure(let error): (error as? PipsightError)?.message ?? "\(error)"
        }
    }

    static func render(_ report: Report) -> String {
        var lines: [String] = []
        switch report.mode {
        case .ollama:
            lines.append("mode: ollama — answers are written by \(report.chatModel) (Ollama \(report.ollamaVersion ?? "?") at \(report.ollamaURL))")
        case .offline:
            lines.append("mode: offline — no language model is used: answers list the computed facts and the best documents")
            if let reason = report.reason { lines.append("why: \(reason)") }
        }
        lines.append("chat model: \(report.chatModel) (\(report.chatModelActive ? "active" : "not active"))")
        let source: String
        switch report.embedder {
        case "ollama": source = "Ollama"
        case "builtin": source = "built-in, in-process"
        case "hashing": source = "built-in hashing embedder, lexical only"
        default: source = "unavailable"
        }
        let why = report.embeddingReason.map { ": \($0)" } ?? ""
        lines.append("retrieval embeddings: \(report.embeddingModelForRetrieval) (\(source)\(why)); \(EmbedderChoice.environmentKey)=\(report.embedderSetting)")
        let pulled = report.ollamaEmbeddingModelPulled.map { $0 ? "pulled" : "not pulled: run `ollama pull \(report.ollamaEmbeddingModel)`" } ?? "unknown"
        lines.append("Ollama embedding model: \(report.ollamaEmbeddingModel) (\(pulled))")
        lines.append("prompts: \(report.promptsDirectory) (\(report.promptsError ?? "readable"))")
        return lines.joined(separator: "\n")
    }
}
