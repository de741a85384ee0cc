import Foundation
import Logging
import Ollama
import PipsightCore

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

    /// The answer as a stream: text fragments as they are written, then `.done` with the full response.
    public func stream(_ request: QueryRequest) -> AsyncThrowingStream<QueryEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<QueryEvent, any Error>.makeStream()
        let task = Task {
            do {
                let response = try await run(request) { continuation.yield(.token($0)) }
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
        try await run(request) { _ in }
    }

    /// Facts, retrieval and generation; `emit` receives the answer text as it is written.
    func run(_ request: QueryRequest, emit: @Sendable (String) -> Void) async throws -> QueryResponse {
        let started = ContinuousClock.now
        var timings = QueryTimings()
        let (question, timeRange, k) = try request.validated(limits: limits)
        let backtestIDs = request.backtestIds ?? []

        var mark = ContinuousClock.now
        let analysis = analyser.analyse(question)
        timings.analysisMs = Self.milliseconds(since: mark)

        mark = ContinuousClock.now
        let facts = try await self.facts.facts(for: analysis, backtestIDs: backtestIDs, timeRange: timeRange)
        timings.factsMs = Self.milliseconds(since: mark)

        mark = ContinuousClock.now
        let retrieved = try await retriever.retrieve(
            RetrievalQuery(text: question, backtestIDs: backtestIDs, timeRange: timeRange, k: k))
        let scope = backtestIDs.isEmpty ? Array(Set(facts.map(\.backtestID) + retrieved.map(\.document.backtestID))) : backtestIDs
        let linkedIDs = QueryDocumentLinks.ids(facts: facts, analysis: analysis, backtestIDs: scope)
        let linked = linkedIDs.isEmpty ? [] : try await retriever.documents(ids: linkedIDs)
        let order = Dictionary(linkedIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let documents = QueryDocumentLinks.merge(
            linked: linked.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }, retrieved: retrieved, k: k)
        timings.retrievalMs = Self.milliseconds(since: mark)
        let embedding = await retriever.embeddingModelName
        let embeddingNotice = await retriever.embeddingNotice

        // The probe (at most every 30 s) counts in the total, not in the generation time.
        let selection = await models.current()
        mark = ContinuousClock.now
        var mode = AnswerMode.offline
        var notice = selection.reason.map { "No language model was used: \($0)." }
        var chatName: String?
        var answer: String
        if let chat = selection.chat {
            do {
                answer = try await generate(
                    chat: chat, question: question, facts: facts, documents: documents, emit: emit)
                mode = .ollama
                chatName = chat.modelName
                notice = nil
            } catch let error as ChatFailure {
                // Nothing was streamed yet: answer offline instead, and say why.
                await models.invalidate()
                logger.warning("chat failed, answering offline", metadata: ["error": "\(error.underlying)"])
                notice = "No language model was used: \(chat.modelName) failed (\(Self.describe(error.underlying)))."
                answer = extractor.answer(analysis: analysis, facts: facts, documents: documents)
                emit(answer)
            }
        } else {
            answer = extractor.answer(analysis: analysis, facts: facts, documents: documents)
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
        return QueryResponse(
            question: question, answer: answer, mode: mode, notice: notice, intents: analysis.intents,
            citations: Citations(
                facts: facts, documents: documents, answer: answer, linkedIDs: Set(linked.map(\.id)),
                retrievedIDs: Set(retrieved.map(\.document.id))),
            models: QueryModels(chat: chatName, embedding: embedding, embeddingNotice: embeddingNotice), timings: timings)
    }

    /// A chat failure before the first fragment: the caller may still answer offline.
    struct ChatFailure: Error {
        var underlying: any Error
    }

    /// Streams the model's answer; a failure before the first fragment is a `ChatFailure`, one after it is
    /// rethrown as is (part of the answer has been sent already).
    func generate(
        chat: any ChatModel, question: String, facts: [Fact], documents: [RetrievedDocument],
        emit: @Sendable (String) -> Void
    ) async throws -> String {
        let prompt: RenderedPrompt
        do {
            prompt = PromptRenderer(templates: try PromptTemplates.load(from: promptsDirectory))
                .render(question: question, facts: facts, documents: documents)
        } catch {
            throw ChatFailure(underlying: error)
        }
        var answer = ""
        do {
            for try await fragment in chat.streamChat(prompt.messages, options: chatOptions) {
                answer += fragment
                emit(fragment)
            }
        } catch {
            if answer.isEmpty { throw ChatFailure(underlying: error) }
            throw error
        }
        if answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ChatFailure(underlying: PipsightError(.ollamaError, "the model returned an empty answer"))
        }
        return answer
    }

    static func describe(_ error: any Error) -> String {
        (error as? PipsightError)?.message ?? "\(error)"
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
