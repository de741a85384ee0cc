import Foundation
import Hummingbird
import Logging
import NIOCore
import PipsightCore
import Synchronization

/// An Ollama-compatible HTTP server for tests, on an ephemeral loopback port, speaking Ollama's wire format:
/// `GET /api/version`, `GET /api/tags`, `POST /api/embed`, `POST /api/chat` (NDJSON streamed in chunks, or one
/// object with `"stream": false`), `{"error": "…"}` bodies with Ollama's status codes.
///
/// ```swift
/// try await OllamaStubServer.withServer { stub in
///     stub.inject(.busy(times: 2))              // the next two requests get 503
///     let client = OllamaClient(httpClient: .shared, configuration: .init(baseURL: stub.url), logger: logger)
///     …
///     #expect(stub.requests(to: "/api/embed").count == 3)
/// }
/// ```
///
/// Behaviour: an unknown model answers 404 `model "x" not found, try pulling it first`; the first request for a
/// model waits `loadDelay` (Ollama loading it); every request waits `latency`; an embedding input longer than the
/// context (`tokens = ceil(characters / charactersPerToken)`, context = `num_ctx` or the model's) is a 400
/// `the input length exceeds the context length` unless `truncate` is true (then it is cut, as Ollama does);
/// embeddings come from `OllamaStubEmbedding`; a chat reply is `Options.reply` (by default it repeats the last
/// user message) streamed a word a line. Faults are queued with `inject` and used by the next request they fit.
public final class OllamaStubServer: Sendable {
    /// A model the stub has "pulled".
    public struct Model: Sendable, Hashable {
        public var name: String
        /// The vector length; `nil` for a chat model.
        public var dimension: Int?
        public var contextTokens: Int

        public init(name: String, dimension: Int?, contextTokens: Int) {
            self.name = name
            self.dimension = dimension
            self.contextTokens = contextTokens
        }

        public static func embedding(_ name: String, dimension: Int, contextTokens: Int = 8192) -> Model {
            Model(name: name, dimension: dimension, contextTokens: contextTokens)
        }

        public static func chat(_ name: String, contextTokens: Int = 8192) -> Model {
            Model(name: name, dimension: nil, contextTokens: contextTokens)
        }
    }

    /// A failure to act out, used by the next request it fits.
    public enum Fault: Sendable, Hashable {
        /// The next `times` embed or chat requests get 503 `server busy, please try again.  maximum pending requests exceeded`.
        case busy(times: Int)
        /// The next streamed chat sends `afterChunks` fragments, then the line `{"error": message}`, and ends.
        case errorMidStream(afterChunks: Int, message: String)
        /// The next embed returns one vector too few (two for a single input).
        case wrongEmbeddingCount
        /// The next embed or chat starts a 200 answer and closes the connection in the middle of the body.
        case dropConnection
        /// The next embed or chat request gets `status` with `{"error": message}`.
        case status(Int, message: String)
    }

    /// A chat request as the stub read it, for `Options.reply`.
    public struct ChatRequest: Sendable {
        public var model: String
        public var messages: [ChatMessage]
        public var format: JSONValue?
        public var options: [String: JSONValue]
    }

    /// How the stub behaves.
    public struct Options: Sendable {
        public var models: [Model]
        /// Waited before every answer.
        public var latency: Duration
        /// Waited by the first request for each model.
        public var loadDelay: Duration
        /// Waited between streamed chat lines.
        public var tokenDelay: Duration
        /// The stub's tokeniser: tokens = ceil(characters / charactersPerToken).
        public var charactersPerToken: Double
        /// The reply to a chat request.
        public var reply: @Sendable (ChatRequest) -> String
        /// Whether `requests` keeps every request (a long-running stub under load turns it off).
        public var recordsRequests = true

        public init(
            models: [Model] = OllamaStubServer.defaultModels,
            latency: Duration = .zero,
            loadDelay: Duration = .zero,
            tokenDelay: Duration = .zero,
            charactersPerToken: Double = 4,
            reply: @escaping @Sendable (ChatRequest) -> String = OllamaStubServer.echoReply
        ) {
            self.models = models
            self.latency = latency
            self.loadDelay = loadDelay
            self.tokenDelay = tokenDelay
            self.charactersPerToken = charactersPerToken
            self.reply = reply
        }
    }

    /// A request the stub received.
    public struct RecordedRequest: Sendable {
        public var method: String
        public var path: String
        /// The JSON body, when there was one.
        public var body: JSONValue?
        /// The `X-Request-Id` header it carried, if any.
        public var requestID: String?
        public var model: String? { body?.objectValue?["model"].flatMap { if case .string(let s) = $0 { s } else { nil } } }
    }

    /// `nomic-embed-text` (768 dimensions, 8192 tokens), `all-minilm` (384, 512) and `llama3.2` (chat).
    public static let defaultModels: [Model] = [
        .embedding("nomic-embed-text", dimension: 768, contextTokens: 8192),
        .embedding("all-minilm", dimension: 384, contextTokens: 512),
        .chat("llama3.2", contextTokens: 131_072),
    ]

    /// `Stub answer to: <last user message>` (or `{"answer":"stub"}` when a `format` is asked for).
    public static let echoReply: @Sendable (ChatRequest) -> String = { request in
        if request.format != nil { return #"{"answer":"stub"}"# }
        let question = request.messages.last { $0.role == .user }?.content ?? ""
        return "Stub answer to: \(question)"
    }

    /// `http://127.0.0.1:<port>`.
    public let url: URL
    let core: StubCore

    init(url: URL, core: StubCore) {
        self.url = url
        self.core = core
    }

    /// Runs `body` with a stub listening on `port` of 127.0.0.1 (0, the default: an ephemeral port), then stops it.
    public static func withServer<T: Sendable>(
        _ options: Options = Options(),
        port: Int = 0,
        _ body: @Sendable (OllamaStubServer) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "pipsight.ollama-stub")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let core = StubCore(options: options)
        let router = Router()
        core.addRoutes(to: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await app.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
                group.cancelAll()
                throw PipsightError(.io, "the Ollama stub server did not start")
            }
            let server = OllamaStubServer(url: url, core: core)
            do {
                let result = try await body(server)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Queues faults; each is used by the next request it fits.
    public func inject(_ faults: Fault...) {
        core.state.withLock { $0.faults += faults }
    }

    /// Changes the options of a running stub.
    public func update(_ change: @Sendable (inout Options) -> Void) {
        core.state.withLock { change(&$0.options) }
    }

    /// Every request received, in order.
    public var requests: [RecordedRequest] { core.state.withLock { $0.requests } }

    /// The requests received on `path` (`/api/embed`).
    public func requests(to path: String) -> [RecordedRequest] { requests.filter { $0.path == path } }

    /// The models the stub has loaded (each on its first request), in order.
    public var loads: [String] { core.state.withLock { $0.loadOrder } }
}
