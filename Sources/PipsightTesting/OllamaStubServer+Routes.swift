import Foundation
import Hummingbird
import NIOCore
import PipsightCore

/// Thrown inside a response body to cut the connection (the `dropConnection` fault).
struct StubConnectionDrop: Error {}

extension StubCore {
    /// Ollama's paths.
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/version") { request, _ in
            try await self.answer(request, path: "/api/version") { _, _ in
                Self.json(.object(["version": .string("0.0.0-stub")]))
            }
        }
        router.get("/api/tags") { request, _ in
            try await self.answer(request, path: "/api/tags") { _, options in
                let models = options.models.map { model -> JSONValue in
                    let name = model.name.contains(":") ? model.name : model.name + ":latest"
                    return .object([
                        "name": .string(name), "model": .string(name), "size": .number(274_302_450),
                        "digest": .string(String(format: "%016llx", OllamaStubEmbedding.fnv1a(model.name))),
                        "details": .object([
                            "format": .string("gguf"),
                            "family": .string(model.dimension == nil ? "llama" : "nomic-bert"),
                        ]),
                    ])
                }
                return Self.json(.object(["models": .array(models)]))
            }
        }
        router.post("/api/embed") { request, _ in
            try await self.answer(request, path: "/api/embed", queued: true) { body, options in
                try await self.embed(body ?? .null, options: options)
            }
        }
        router.post("/api/chat") { request, _ in
            try await self.answer(request, path: "/api/chat", queued: true) { body, options in
                try await self.chat(body ?? .null, options: options)
            }
        }
    }

    /// The `X-Request-Id` header of `request`, if any.
    private static func requestID(of request: Request) -> String? {
        let name = RequestTrace.headerName.lowercased()
        return request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// Records the request, waits `latency`, acts out a `busy` or `status` fault (on `/api/embed` and
    /// `/api/chat`, which go through Ollama's model queue), else runs `handler`.
    private func answer(
        _ request: Request, path: String, queued: Bool = false,
        _ handler: (JSONValue?, OllamaStubServer.Options) async throws -> Response
    ) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 256 << 20)
        let body = bytes.readableBytes == 0 ? nil : try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))
        let (options, fault) = state.withLock { state in
            if state.options.recordsRequests {
                state.requests.append(.init(
                    method: request.method.rawValue, path: path, body: body, requestID: Self.requestID(of: request)))
            }
            let fault = state.takeFault {
                switch $0 {
                case .busy, .status: queued
                default: false
                }
            }
            return (state.options, fault)
        }
        if options.latency > .zero { try await Task.sleep(for: options.latency) }
        switch fault {
        case .busy:
            return Self.error(.serviceUnavailable, "server busy, please try again.  maximum pending requests exceeded")
        case .status(let code, let message):
            return Self.error(HTTPResponse.Status(code: code), message)
        default:
            return try await handler(body, options)
        }
    }

    /// The model a request names, after the 404 for one not pulled and the load delay for its first use.
    private func model(
        in body: JSONValue, options: OllamaStubServer.Options
    ) async throws -> Result<OllamaStubServer.Model, StubRefusal> {
        guard case .string(let name)? = body.objectValue?["model"] else {
            return .failure(StubRefusal(status: .badRequest, message: "model is required"))
        }
        let wanted = name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
        guard let model = options.models.first(where: { $0.name == wanted || $0.name == name }) else {
            return .failure(StubRefusal(status: .notFound, message: "model \"\(name)\" not found, try pulling it first"))
        }
        let loading = state.withLock { state in
            guard !state.loaded.contains(model.name) else { return false }
            state.loaded.insert(model.name)
            state.loadOrder.append(model.name)
            return true
        }
        if loading, options.loadDelay > .zero { try await Task.sleep(for: options.loadDelay) }
        return .success(model)
    }

    private func embed(_ body: JSONValue, options: OllamaStubServer.Options) async throws -> Response {
        let model: OllamaStubServer.Model
        switch try await self.model(in: body, options: options) {
        case .success(let found): model = found
        case .failure(let refusal): return Self.error(refusal.status, refusal.message)
        }
        guard let dimension = model.dimension else {
            return Self.error(.badRequest, "\"\(model.name)\" does not support embeddings")
        }
        let fields = body.objectValue ?? [:]
        var inputs: [String]
        switch fields["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let values)?:
            inputs = values.compactMap { if case .string(let text) = $0 { text } else { nil } }
            guard inputs.count == values.count else { return Self.error(.badRequest, "invalid input type") }
        default: return Self.error(.badRequest, "invalid input type")
        }
        var truncate = true
        if case .bool(let value)? = fields["truncate"] { truncate = value }
        var context = model.contextTokens
        if case .number(let numCtx)? = fields["options"]?.objectValue?["num_ctx"] { context = min(context, Int(numCtx)) }
        let maxCharacters = Int(Double(context) * options.charactersPerToken)
        var tokens = 0
        for index in inputs.indices {
            let count = inputs[index].count
            if count > maxCharacters {
                guard truncate else { return Self.error(.badRequest, "the input length exceeds the context length") }
                inputs[index] = String(inputs[index].prefix(maxCharacters))
            }
            tokens += Int((Double(min(count, maxCharacters)) / options.charactersPerToken).rounded(.up))
        }
        var vectors = inputs.map { JSONValue.array(OllamaStubEmbedding.vector(for: $0, dimension: dimension).map { .number(Double($0)) }) }
        let fault = state.withLock { state in
            state.takeFault {
                switch $0 {
                case .wrongEmbeddingCount, .dropConnection: true
                default: false
                }
            }
        }
        if fault == .wrongEmbeddingCount {
            if vectors.count > 1 { vectors.removeLast() } else { vectors += vectors }
        }
        let text = JSONValue.object([
            "model": .string(model.name), "embeddings": .array(vectors),
            "total_duration": .number(1_000_000), "load_duration": .number(0), "prompt_eval_count": .number(Double(tokens)),
        ]).jsonText()
        if fault == .dropConnection {
            let half = String(text.prefix(text.count / 2))
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: half))
                throw StubConnectionDrop()
            })
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func chat(_ body: JSONValue, options: OllamaStubServer.Options) async throws -> Response {
        let model: OllamaStubServer.Model
        switch try await self.model(in: body, options: options) {
        case .success(let found): model = found
        case .failure(let refusal): return Self.error(refusal.status, refusal.message)
        }
        guard model.dimension == nil else { return Self.error(.badRequest, "\"\(model.name)\" does not support chat") }
        let fields = body.objectValue ?? [:]
        var stream = true
        if case .bool(let value)? = fields["stream"] { stream = value }
        let messages: [ChatMessage]
        do {
            messages = try JSONDecoder().decode([ChatMessage].self, from: Data((fields["messages"] ?? .array([])).jsonText().utf8))
        } catch {
            return Self.error(.badRequest, "invalid message format")
        }
        let created = "2024-01-01T00:00:00.000000Z"
        @Sendable func line(_ content: String, done: Bool, reason: String? = nil, count: Int = 0) -> JSONValue {
            var object: [String: JSONValue] = [
                "model": .string(model.name), "created_at": .string(created),
                "message": .object(["role": .string("assistant"), "content": .string(content)]), "done": .bool(done),
            ]
            if done {
                object["done_reason"] = .string(reason ?? "stop")
                object["total_duration"] = .number(2_000_000)
                object["prompt_eval_count"] = .number(Double(messages.count))
                object["eval_count"] = .number(Double(count))
            }
            return .object(object)
        }
        if messages.isEmpty {
            return Self.json(line("", done: true, reason: "load"))
        }
        let request = OllamaStubServer.ChatRequest(
            model: model.name, messages: messages, format: fields["format"], options: fields["options"]?.objectValue ?? [:])
        let reply = options.reply(request)
        let fault = state.withLock { state in
            state.takeFault {
                switch $0 {
                case .errorMidStream, .dropConnection: stream
                default: false
                }
            }
        }
        guard stream else { return Self.json(line(reply, done: true, count: Self.fragments(of: reply).count)) }
        let fragments = Self.fragments(of: reply)
        let tokenDelay = options.tokenDelay
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
            for (index, fragment) in fragments.enumerated() {
                if case .errorMidStream(let after, let message) = fault, index == after {
                    try await writer.write(ByteBuffer(string: JSONValue.object(["error": .string(message)]).jsonText() + "\n"))
                    try await writer.finish(nil)
                    return
                }
                if fault == .dropConnection, index == 1 { throw StubConnectionDrop() }
                try await writer.write(ByteBuffer(string: line(fragment, done: false).jsonText() + "\n"))
                if tokenDelay > .zero { try await Task.sleep(for: tokenDelay) }
            }
            if case .errorMidStream(_, let message) = fault {
                try await writer.write(ByteBuffer(string: JSONValue.object(["error": .string(message)]).jsonText() + "\n"))
                try await writer.finish(nil)
                return
            }
            if fault == .dropConnection { throw StubConnectionDrop() }
            try await writer.write(ByteBuffer(string: line("", done: true, count: fragments.count).jsonText() + "\n"))
            try await writer.finish(nil)
        })
    }

    /// The reply cut after each space, as a model streams tokens.
    static func fragments(of reply: String) -> [String] {
        var fragments: [String] = []
        var current = ""
        for character in reply {
            current.append(character)
            if character == " " {
                fragments.append(current)
                current = ""
            }
        }
        if !current.isEmpty { fragments.append(current) }
        return fragments
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText())))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(["error": .string(message)]).jsonText())))
    }
}

/// A refusal with Ollama's status and message.
struct StubRefusal: Error {
    var status: HTTPResponse.Status
    var message: String
}
