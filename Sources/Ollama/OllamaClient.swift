import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PipsightCore

/// A client for Ollama's HTTP API: `/api/embed`, `/api/chat` (streamed NDJSON or whole), `/api/tags` and
/// `/api/version`.
///
/// It borrows one shared `HTTPClient`: the caller creates it and shuts it down
/// (`OllamaClient.recommendedHTTPClientConfiguration()` makes a refused connection fail at once). Until Ollama
/// has answered once (and again after a connection failure), a request is preceded by a `GET /api/version` probe
/// with `probeTimeout`, so an absent Ollama is reported within seconds whatever the HTTP client's settings.
/// The first request for a model gets `loadTimeout` (Ollama loads the model before it answers), later ones
/// `requestTimeout`; a 503 (queue full) is retried with backoff and jitter; every failure is a `PipsightError` whose code tells what happened
/// (`ollama_unreachable` lets callers fall back to offline mode, `model_not_pulled` says which `ollama pull`
/// to run).
///
/// Every failed call but `version()` counts once in `pipsight_ollama_errors_total{kind}` (kind: the error code) of
/// `metricsFactory`; each request carries the `X-Request-Id` of the HTTP request being served (`RequestTrace`).
public struct OllamaClient: Sendable {
    /// The borrowed HTTP client.
    public let httpClient: HTTPClient
    public let configuration: OllamaConfiguration
    public let logger: Logger
    /// Where the client's metrics go (default: the process-wide `MetricsSystem`).
    public let metricsFactory: any MetricsFactory
    let session = OllamaSessionState()

    public init(
        httpClient: HTTPClient, configuration: OllamaConfiguration = OllamaConfiguration(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    /// Ollama's version (`GET /api/version`), waiting at most `timeout` (default `probeTimeout`): the probe
    /// that tells whether Ollama runs. Throws `ollama_unreachable` or `ollama_timeout` when it does not.
    /// Not counted in `pipsight_ollama_errors_total`: readiness checks probe all the time.
    public func version(timeout: Duration? = nil) async throws -> String {
        let response = try await send(.GET, "/api/version", body: nil, model: nil,
                                      timeout: timeout ?? configuration.probeTimeout, retrying: false, probing: false)
        return try await decode(OllamaVersionResponse.self, from: response).version
    }

    /// The models Ollama has pulled (`GET /api/tags`).
    public func tags() async throws -> [OllamaModelInfo] {
        try await countingErrors {
            let response = try await send(.GET, "/api/tags", body: nil, model: nil,
                                          timeout: configuration.requestTimeout)
            return try await decode(OllamaTagsResponse.self, from: response).models
        }
    }

    /// Whether `model` is pulled (`llama3.2` matches `llama3.2:latest`).
    public func isPulled(_ model: String) async throws -> Bool {
        try await tags().contains { $0.matches(model) }
    }

    /// Embeds `inputs` in one `POST /api/embed` request, in order.
    ///
    /// `truncate` defaults to false, unlike Ollama's own default: an input longer than the context is then an
    /// `input_too_long` error instead of a vector of its first part only (`OllamaEmbeddingModel` splits long
    /// inputs so that this does not happen). Throws `ollama_bad_response` unless exactly one vector comes back
    /// per input.
    public func embed(
        model: String,
        inputs: [String],
        truncate: Bool = false,
        keepAlive: String? = nil,
        dimensions: Int? = nil,
        options: OllamaModelOptions? = nil
    ) async throws -> OllamaEmbedResponse {
        guard !inputs.isEmpty else { return OllamaEmbedResponse(model: model, embeddings: []) }
        let request = OllamaEmbedRequest(
            model: model, input: inputs, truncate: truncate, keepAlive: keepAlive ?? configuration.keepAlive,
            dimensions: dimensions, options: options.flatMap { $0.isEmpty ? nil : $0 })
        return try await countingErrors {
            let response = try await send(.POST, "/api/embed", body: try encode(request), model: model)
            let answer = try await decode(OllamaEmbedResponse.self, from: response)
            guard answer.embeddings.count == inputs.count else {
                throw PipsightErrorFactory.badResponse(
                    "model '\(model)' returned \(answer.embeddings.count) embeddings for \(inputs.count) inputs")
            }
            return answer
        }
    }

    /// Sends a conversation and waits for the whole answer (`POST /api/chat` with `stream: false`).
    public func chat(
        model: String,
        messages: [ChatMessage],
        options: OllamaModelOptions = OllamaModelOptions(),
        format: OllamaResponseFormat? = nil,
        keepAlive: String? = nil
    ) async throws -> OllamaChatResponse {
        let request = OllamaChatRequest(model: model, messages: messages, stream: false, format: format,
                                        options: options, keepAlive: keepAlive ?? configuration.keepAlive)
        let chunk = try await countingErrors {
            let response = try await send(.POST, "/api/chat", body: try encode(request), model: model)
            let chunk = try await decode(OllamaChatChunk.self, from: response)
            if let error = chunk.error { throw PipsightErrorFactory.midStream(model: model, message: error) }
            return chunk
        }
        return OllamaChatResponse(
            model: chunk.model ?? model, content: chunk.content, doneReason: chunk.doneReason,
            promptEvalCount: chunk.promptEvalCount, evalCount: chunk.evalCount,
            totalDuration: chunk.totalDuration, loadDuration: chunk.loadDuration)
    }

    /// Streams the answer to a conversation (`POST /api/chat` with `stream: true`), one NDJSON line at a time as
    /// it arrives. The stream throws `ollama_error` when Ollama sends an error line in the middle, and
    /// `ollama_bad_response` when it ends before the final `done: true` line (a dropped connection).
    /// Ending the iteration early cancels the request.
    public func streamChat(
        model: String,
        messages: [ChatMessage],
        options: OllamaModelOptions = OllamaModelOptions(),
        format: OllamaResponseFormat? = nil,
        keepAlive: String? = nil
    ) -> AsyncThrowingStream<OllamaChatChunk, any Error> {
        let request = OllamaChatRequest(model: model, messages: messages, stream: true, format: format,
                                        options: options, keepAlive: keepAlive ?? configuration.keepAlive)
        let (stream, continuation) = AsyncThrowingStream<OllamaChatChunk, any Error>.makeStream()
        let task = Task {
            do {
                try await countingErrors { try await streamChatLines(request) { continuation.yield($0) } }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Loads `model` into Ollama's memory now (with `loadTimeout`), so the first real request is fast: an empty
    /// conversation for a chat model (Ollama's documented way to load one), a one-word input for an embedding
    /// model.
    public func warmUp(model: String, kind: ModelDescriptor.Kind) async throws {
        let started = ContinuousClock.now
        switch kind {
        case .chat:
            let request = OllamaChatRequest(model: model, messages: [], stream: false, format: nil, options: nil,
                                            keepAlive: configuration.keepAlive)
            try await countingErrors {
                let response = try await send(.POST, "/api/chat", body: try encode(request), model: model,
                                              timeout: configuration.loadTimeout)
                _ = try await decode(OllamaChatChunk.self, from: response)
            }
        case .embedding:
            _ = try await embed(model: model, inputs: ["warm-up"])
        }
        logger.info("ollama model loaded", metadata: [
            "ollama.model": "\(model)", "ollama.seconds": "\((ContinuousClock.now - started).seconds)",
        ])
    }
}
