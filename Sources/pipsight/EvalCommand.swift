import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MiniLM
import Ollama
import PipsightCore
import PipsightTesting
import PostgresStore
import RAG

/// `pipsight eval`: generates a sample backtest and optimisation, stores them in a temporary database, asks the
/// evaluation set (40+ questions from the generator's ground truth) and prints numeric accuracy and recall@5,
/// for the offline default and, with `--ollama`, for the configured Ollama; retrieval embeds with the built-in
/// all-minilm and, for comparison (`--embedder both`, the default), with the lexical hashing embedder.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure answer accuracy and retrieval recall@5 on a generated backtest (temporary database).")

    @Option(help: "Seed of the generated sample.")
    var seed: UInt64 = 20_251_125

    @Option(help: "Trades in the generated sample.")
    var trades: Int = 600

    @Flag(help: "Also evaluate with the configured Ollama (PIPSIGHT_OLLAMA_URL, PIPSIGHT_OLLAMA_CHAT_MODEL).")
    var ollama = false

    @Option(help: "Embedder(s) to evaluate retrieval with: builtin (all-minilm), hashing (lexical features only) or both.")
    var embedder: EvalEmbedders = .both

    @Flag(help: "Print every question's result.")
    var details = false

    @Flag(help: "Print the reports as JSON.")
    var json = false

    @Option(help: "The prompts directory (default: $PIPSIGHT_PROMPTS_DIR, else ./prompts).")
    var prompts: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        if let url = database.databaseURL { setenv(DatabaseURL.environmentKey, url, 1) }
        let logger = database.logger("pipsight.eval")
        let ollamaConfiguration = try await Terminal.run { try OllamaConfiguration.fromEnvironment() }
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let outcome: Result<[EvalReport], any Error>
        do {
            outcome = .success(try await Terminal.run {
                try await evaluate(httpClient: httpClient, ollamaConfiguration: ollamaConfiguration, logger: logger)
            })
        } catch {
            outcome = .failure(error)
        }
        try await httpClient.shutdown()
        let reports = try outcome.get()
        if json {
            try printJSON(reports)
            return
        }
        for report in reports {
            if details { print(EvalTable.details(report)) }
            print(EvalTable.summary(report))
        }
    }

    func evaluate(httpClient: HTTPClient, ollamaConfiguration: OllamaConfiguration, logger: Logger) async throws -> [EvalReport] {
        let generator = SampleGenerator(seed: seed, trades: trades)
        let (useOllama, promptsDirectory, embedders) = (ollama, PromptTemplates.locate(explicit: prompts), embedder)
        return try await TestDatabase.withStore { store, _ in
            let report = try await store.ingest(ImportInput(name: "eval-report.json", data: generator.write(.reportJSON))).backtestID
            let optres = generator.write(.optres)
            let optimisation = try await store.ingest(ImportInput(name: "eval.optres", data: optres)).backtestID
            let questions = EvalSet.questions(
                truth: EvalTruthBuilder.truth(generator: generator, optres: optres), report: report, optimisation: optimisation)
            Terminal.error("\(questions.count) questions, \(generator.tradeCount) trades, seed \(generator.seed)")
            var indexes: [DocumentIndex] = []
            for model in try embedders.models(logger: logger) {
                let index = try await DocumentIndex.open(
                    store: store, embedder: model, configuration: .fromEnvironment(), logger: logger)
                let start = ContinuousClock.now
                try await index.index(backtestID: report)
                try await index.index(backtestID: optimisation)
                Terminal.error("indexed with \(model.modelName) in \(ContinuousClock.now - start)")
                indexes.append(index)
            }
            func service(_ models: ModelSelector, index: DocumentIndex) -> QueryService {
                QueryService(
                    facts: FactBuilder(source: store, logger: logger), retriever: index, models: models,
                    promptsDirectory: promptsDirectory, logger: logger)
            }
            let progress: @Sendable (Int, Int) -> Void = { Terminal.progress(done: $0, total: $1, label: "questions") }
            var reports: [EvalReport] = []
            for index in indexes {
                let offline = ModelSelector.offlineOnly(reason: "evaluating the offline default", logger: logger)
                reports.append(try await EvalRunner(service: service(offline, index: index), vectorIndex: index)
                    .run(questions, progress: progress))
                Terminal.clearProgress()
            }
            if useOllama, let index = indexes.first {
                let client = OllamaClient(httpClient: httpClient, configuration: ollamaConfiguration, logger: logger)
                let probe = await ModelSelector.probeOllama(client: client)
                if probe.mode == .ollama {
                    reports.append(try await EvalRunner(service: service(.ollama(client: client, logger: logger), index: index))
                        .run(questions, progress: progress))
                    Terminal.clearProgress()
                } else {
                    Terminal.error("Ollama skipped: \(probe.reason ?? "not available")")
                }
            }
            return reports
        }
    }
}

/// The embedders `pipsight eval --embedder` evaluates retrieval with.
enum EvalEmbedders: String, ExpressibleByArgument, CaseIterable, Sendable {
    case builtin, hashing, both

    func models(logger: Logger) throws -> [any EmbeddingModel] {
        switch self {
        case .builtin: [try MiniLMEmbeddingModel.shared(logger: logger)]
        case .hashing: [OfflineEmbedder()]
        case .both: [try MiniLMEmbeddingModel.shared(logger: logger), OfflineEmbedder()]
        }
    }
}

/// The evaluation truth from the generator: its ground truth, a few trades to ask "why" about, and the passes
/// as written in the `.optres`.
enum EvalTruthBuilder {
    static func truth(generator: SampleGenerator, optres: Data) -> EvalTruth {
        let truth = generator.groundTruth
        let trades = generator.pipsightTrades()
        let picks = [0, trades.count / 3, 2 * trades.count / 3].filter { $0 < trades.count }
        let day = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        return EvalTruth(
            tradeCount: truth.tradeCount, winningTrades: truth.winningTrades, netProfit: truth.netProfit,
            largestWin: truth.largestWin, largestWinPositionId: truth.largestWinPositionId,
            largestLoss: truth.largestLoss, largestLossPositionId: truth.largestLossPositionId,
            maxConsecutiveWins: truth.maxConsecutiveWins, maxConsecutiveLosses: truth.maxConsecutiveLosses,
            maxBalanceDrawdown: truth.maxBalanceDrawdown, maxBalanceDrawdownPeakTime: truth.maxBalanceDrawdownPeakTime,
            maxBalanceDrawdownTroughTime: truth.maxBalanceDrawdownTroughTime, netByWeekday: truth.netByWeekday,
            netByOpenHour: truth.netByOpenHour, netByMonth: truth.netByMonth,
            tradesToExplain: picks.map { (trades[$0].positionId, trades[$0].openTime.formatted(day)) },
            passes: EvalPass.passes(fromOptres: optres))
    }
}

/// Plain-text output of `pipsight eval`.
enum EvalTable {
    static func summary(_ report: EvalReport) -> String {
        let mode = report.mode == .offline ? "offline (no language model)" : "ollama (\(report.chatModel ?? "?"))"
        let numeric = report.results.compactMap(\.factCorrect)
        let latency = report.latencyMs
        let vector = report.vectorRecallAt5.map { all in
            String(format: "; vector list alone (the embedder itself): recall@5 %.3f, \"why\" %.3f", all,
                   report.whyVectorRecallAt5 ?? 0)
        } ?? ""
        return String(
            format: "%@, embedding %@: numeric accuracy %.1f%% (%d/%d), answers mention the value %.1f%%, recall@5 %.3f (hybrid retrieval alone %.3f) over %d questions, \"why\" questions: hybrid retrieval recall@5 %.3f over %d, answer time p50 %.0f ms, p95 %.0f ms",
            mode, report.embeddingModel, report.numericAccuracy * 100, numeric.filter { $0 }.count, numeric.count,
            report.mentionRate * 100, report.recallAt5, report.retrievalRecallAt5, report.retrievalQuestions,
            report.whyRetrievalRecallAt5, report.whyQuestions, latency.p50, latency.p95) + paraphrase(report) + vector
    }

    /// The paraphrased "why" questions' recall, hybrid and (when measured) vector list alone.
    static func paraphrase(_ report: EvalReport) -> String {
        guard let hybrid = report.paraphraseRetrievalRecallAt5 else { return "" }
        let vector = report.paraphraseVectorRecallAt5.map { String(format: ", vector list alone %.3f", $0) } ?? ""
        return String(format: "; of which paraphrased \"why\" (no exact token): hybrid retrieval recall@5 %.3f over %d",
                      hybrid, report.paraphraseQuestions) + vector
    }

    static func details(_ report: EvalReport) -> String {
        report.results.map { result in
            let fact = result.factCorrect.map { $0 ? "fact ok" : "FACT WRONG (got \(result.got ?? "nothing"))" } ?? "-"
            let mention = result.answerMentions.map { $0 ? "mentioned" : "NOT MENTIONED" } ?? "-"
            let recall = result.recallAt5.map { value in
                String(format: "recall@5 %.2f (retrieval alone %.2f", value, result.retrievalRecallAt5 ?? 0)
                    + (result.vectorRecallAt5.map { String(format: ", vector alone %.2f)", $0) } ?? ")")
            } ?? "-"
            return "\(result.id) [\(result.category)] \(fact) · \(mention) · \(recall) · \(result.question)"
        }.joined(separator: "\n")
    }
}
