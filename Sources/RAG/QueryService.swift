import Foundation
import Logging
import Ollama
import PipsightCore
import PostgresStore

/// Answers questions about the stored backtests: facts from the analytics (numbers are computed, never read
/// from retrieved text), documents from hybrid retrieval, then either a language model through Ollama
/// (streamed) or, when Ollama is not available, an extractive answer that says no model was used.
public struct QueryService: Sendable {
    public var analyser = QuestionAnalyser()
    public var facts: FactBuilder
    public var retriever: any QueryRetriever
    public var models: ModelSelector
    /// Where the prompt templates are read from (only needed when Ollama answers).
    public var promptsDirectory: URL
    public var extractor = AnswerExtractor()
    public var chatOptions: ChatOptions
    /// Bounds on the question and on k.
    public var limits = QueryLimits()
    public var logger: Logger
    /// Answers, documents and facts already computed (`withCaches`); nil: every question from scratch.
    public private(set) var caches: QueryCaches?
    /// The parsed prompt templates, read again when their files change.
    let promptCache = PromptTemplateCache()

    public init(
        facts: FactBuilder, retriever: any QueryRetriever, models: ModelSelector,
        promptsDirectory: URL = PromptTemplates.locate(),
        chatOptions: ChatOptions = ChatOptions(temperature: 0.1, seed: 7), logger: Logger
    ) {
        self.facts = facts
        self.retriever = retriever
        self.models = models
        self.promptsDirectory = promptsDirectory
        self.chatOptions = chatOptions
        self.logger = logger
    }

    /// This service with `caches`: answers, retrievals and facts are reused while what they were computed from is
    /// unchanged (see `QueryCaches`). The embedding cache is the index's (`QueryService.standard`).
    public func withCaches(_ caches: QueryCaches?) -> QueryService {
        var service = self
        service.caches = caches
        service.facts.cache = caches?.facts
        return service
    }

    /// Whether answers written by a model with `options` may be replayed: a fixed seed or temperature 0 make the
    /// model's output a function of its input.
    public static func isDeterministic(_ options: ChatOptions) -> Bool {
        options.seed != nil || options.temperature == 0
    }

    /// The answer as a stream: text fragments as they are written, then `.done` with the full response.
    public func stream(_ request: QueryRequest) -> AsyncThrowingStream<QueryEvent, any Error> {
        stream { try await prepare(request) }
    }

    /// The answer to a prepared question as a stream (see `prepare`).
    public func stream(_ prepared: PreparedQuery) -> AsyncThrowingStream<QueryEvent, any Error> {
        stream { prepared }
    }

    private func stream(
        _ prepared: @escaping @Sendable () async throws -> PreparedQuery
    ) -> AsyncThrowingStream<QueryEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<QueryEvent, any Error>.makeStream()
        let task = Task {
            do {
                let response = try await run(try await prepared()) { continuation.yield(.token($0)) }
                continuation.yield(.done(response))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The whole answer at once.
    public func answer(_ request: QueryRequest) async throws -> QueryResponse {
        try await run(try await prepare(request)) { _ in }
    }

    /// The whole answer to a prepared question at once.
    public func answer(_ prepared: PreparedQuery) async throws -> QueryResponse {
        try await run(prepared) { _ in }
    }

    /// Checks the request, reads what cached work is keyed on (with caches: the versions of the backtests in
    /// scope, the index generation), picks the writer (the model or offline) and looks the answer up in the
    /// answer cache. `PreparedQuery.needsModel` tells the caller whether answering will call the language model
    /// (a replayed answer does not), so a generation slot is taken only then.
    public func prepare(_ request: QueryRequest) async throws -> PreparedQuery {
        let started = ContinuousClock.now
        let (question, timeRange, k) = try request.validated(limits: limits)
        let backtestIDs = request.backtestIds ?? []
        let caches = self.caches.flatMap { $0.isEnabled ? $0 : nil }
        var versions: [BacktestVersion]?
        var generation: Int?
        if caches != nil {
            versions = try await facts.source.backtestVersions(ids: backtestIDs)
            generation = await retriever.cacheGeneration
        }
        let embedding = await retriever.embeddingModelName
        // The probe (at most every 30 s) counts in the total, not in the generation time.
        let selection = await models.current()
        var prompts: (templates: PromptTemplates, stamp: String)?
        if selection.chat != nil { prompts = try? promptCache.templates(in: promptsDirectory) }
        var prepared = PreparedQuery(
            started: started, question: question, backtestIDs: backtestIDs, timeRange: timeRange, k: k,
            versions: versions, indexGeneration: generation, embeddingModel: embedding, selection: selection,
            templates: prompts?.templates)
        if let caches, caches.answers.isEnabled, let versions, let generation,
            selection.chat == nil || (Self.isDeterministic(chatOptions) && prompts != nil)
        {
            let key = AnswerCacheKey(
                question: question, backtestIDs: backtestIDs, timeRange: timeRange, k: k, versions: versions,
                indexGeneration: generation, embeddingModel: embedding, chat: selection.chat?.modelName,
                options: selection.chat == nil ? nil : chatOptions,
                prompts: prompts.map { "\(promptsDirectory.path)|\($0.stamp)" },
                offlineReason: selection.chat == nil ? selection.reason : nil)
            prepared.answerKey = key
            prepared.hit = caches.answers.value(forKey: key)
        }
        return prepared
    }

    /// Facts, retrieval and generation (or the replay of a cached answer); `emit` receives the answer text as it
    /// is written. Cached facts and documents are keyed on what `prepare` read.
    func run(_ prepared: PreparedQuery, emit: @Sendable (String) -> Void) async throws -> QueryResponse {
        if let hit = prepared.hit {
            for fragment in hit.fragments { emit(fragment) }
            var response = hit.response
            response.timings = QueryTimings(cache: .hit)
            response.timings.totalMs = Self.milliseconds(since: prepared.started)
            return response
        }
        let started = prepared.started
        var timings = QueryTimings(cache: prepared.answerKey == nil ? nil : .miss)
        let (question, backtestIDs, timeRange, k) = (prepared.question, prepared.backtestIDs, prepared.timeRange, prepared.k)
        let (versions, generation, embedding) = (prepared.versions, prepared.indexGeneration, prepared.embeddingModel)
        let selection = prepared.selection
        let caches = self.caches

        var mark = ContinuousClock.now
        let analysis = analyser.analyse(question)
        timings.analysisMs = Self.milliseconds(since: mark)

        // The search does not depend on the facts: it runs while they are computed. The documents the facts
        // link to are read once both are done. `retrievalMs` is the search plus that read (it overlaps `factsMs`).
        let query = RetrievalQuery(text: question, backtestIDs: backtestIDs, timeRange: timeRange, k: k)
        let retrievalKey = versions.flatMap { versions in
            generation.map {
                RetrievalCacheKey(
                    query: query, analysis: analysis, versions: versions, indexGeneration: $0, embeddingModel: embedding)
            }
        }
        let cachedOutcome = retrievalKey.flatMap { caches?.retrievals.value(forKey: $0) }
        let retriever = self.retriever
        async let searched = Self.search(query, with: retriever, skip: cachedOutcome != nil)

        mark = ContinuousClock.now
        let facts = try await self.facts.facts(
            for: analysis, backtestIDs: backtestIDs, timeRange: timeRange, versions: versions)
        timings.factsMs = Self.milliseconds(since: mark)

        let outcome: RetrievalOutcome
        if let cachedOutcome {
            outcome = cachedOutcome
            _ = try await searched
            timings.retrievalMs = 0
        } else {
            let (found, searchMs) = try await searched
            mark = ContinuousClock.now
            outcome = try await documents(retrieved: found, query: query, facts: facts, analysis: analysis)
            timings.retrievalMs = searchMs + Self.milliseconds(since: mark)
            if let retrievalKey { caches?.retrievals.setValue(outcome, forKey: retrievalKey) }
        }
        let (retrieved, linked) = (outcome.retrieved, outcome.linked)
        let linkedIDs = linked.map(\.id)
        let documents = QueryDocumentLinks.merge(linked: linked, retrieved: retrieved, k: k)
        // Read after retrieval: a lazily opened index knows its model only once open.
        let embeddingUsed = await retriever.embeddingModelName
        let embeddingNotice = await retriever.embeddingNotice

        mark = ContinuousClock.now
        var mode = AnswerMode.offline
        var notice = selection.reason.map { "No language model was used: \($0)." }
        var chatName: String?
        var answer: String
        var fragments: [String]
        // Only an answer written the usual way is kept: not one that replaced a failed model call.
        var keep = true
        if let chat = selection.chat {
            do {
                (answer, fragments) = try await generate(
                    chat: chat, templates: prepared.templates, question: question, facts: facts, documents: documents,
                    emit: emit)
                mode = .ollama
                chatName = chat.modelName
                notice = nil
            } catch let error as ChatFailure {
                // Nothing was streamed yet: answer offline instead, and say why.
                await models.invalidate()
                logger.warning("chat failed, answering offline", metadata: ["error": "\(error.underlying)"])
                notice = "No language model was used: \(chat.modelName) failed (\(Self.describe(error.underlying)))."
                answer = extractor.answer(analysis: analysis, facts: facts, documents: documents)
                fragments = [answer]
                keep = false
                emit(answer)
            }
        } else {
            answer = extractor.answer(analysis: analysis, facts: facts, documents: documents)
            fragments = [answer]
            emit(answer)
        }
        timings.generationMs = Self.milliseconds(since: mark)
        timings.totalMs = Self.milliseconds(since: started)
        logger.info(
            "answered",
            metadata: [
                "mode": "\(mode.rawValue)", "facts": "\(facts.count)", "documents": "\(documents.count)",
                "ms": "\(Int(timings.totalMs))",
            ])
        let response = QueryResponse(
            question: question, answer: answer, mode: mode, notice: notice, intents: analysis.intents,
            citations: Citations(
                facts: facts, documents: documents, answer: answer, linkedIDs: Set(linkedIDs),
                retrievedIDs: Set(retrieved.map(\.document.id))),
            models: QueryModels(chat: chatName, embedding: embeddingUsed, embeddingNotice: embeddingNotice), timings: timings)
        if keep, let answerKey = prepared.answerKey { caches?.answers.setValue(CachedAnswer(fragments: fragments, response: response), forKey: answerKey) }
        return response
    }

    /// The hybrid search for `query` and how long it took (nothing when `skip`: a cached outcome answers).
    static func search(
        _ query: RetrievalQuery, with retriever: any QueryRetriever, skip: Bool
    ) async throws -> (documents: [RetrievedDocument], ms: Double) {
        guard !skip else { return ([], 0) }
        let start = ContinuousClock.now
        let documents = try await retriever.retrieve(query)
        return (documents, milliseconds(since: start))
    }

    /// `retrieved` and the documents the facts link to (in link order).
    func documents(
        retrieved: [RetrievedDocument], query: RetrievalQuery, facts: [Fact], analysis: QuestionAnalysis
    ) async throws -> RetrievalOutcome {
        let backtestIDs = query.backtestIDs
        let scope = backtestIDs.isEmpty ? Array(Set(facts.map(\.backtestID) + retrieved.map(\.document.backtestID))) : backtestIDs
        let linkedIDs = QueryDocumentLinks.ids(facts: facts, analysis: analysis, backtestIDs: scope)
        let linked = linkedIDs.isEmpty ? [] : try await retriever.documents(ids: linkedIDs)
        let order = Dictionary(linkedIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return RetrievalOutcome(retrieved: retrieved, linked: linked.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) })
    }

    /// A chat failure before the first fragment: the caller may still answer offline.
    struct ChatFailure: Error {
        var underlying: any Error
    }

    /// Streams the model's answer; a failure before the first fragment is a `ChatFailure`, one after it is
    /// rethrown as is (part of the answer has been sent already).
    func generate(
        chat: any ChatModel, templates: PromptTemplates?, question: String, facts: [Fact], documents: [RetrievedDocument],
        emit: @Sendable (String) -> Void
    ) async throws -> (answer: String, fragments: [String]) {
        let prompt: RenderedPrompt
        do {
            let templates = try templates ?? promptCache.templates(in: promptsDirectory).templates
            prompt = PromptRenderer(templates: templates).render(question: question, facts: facts, documents: documents)
        } catch {
            throw ChatFailure(underlying: error)
        }
        var answer = ""
        var fragments: [String] = []
        do {
            for try await fragment in chat.streamChat(prompt.messages, options: chatOptions) {
                answer += fragment
                fragments.append(fragment)
                emit(fragment)
            }
        } catch {
            if answer.isEmpty { throw ChatFailure(underlying: error) }
            throw error
        }
        if answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ChatFailure(underlying: PipsightError(.ollamaError, "the model returned an empty answer"))
        }
        return (answer, fragments)
    }

    static func describe(_ error: any Error) -> String {
        (error as? PipsightError)?.message ?? "\(error)"
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
