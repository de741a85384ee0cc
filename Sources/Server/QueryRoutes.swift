import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PipsightCore
import RAG

/// `POST /v1/query`: a question about the stored backtests. JSON in (`QueryRequest`); JSON out
/// (`QueryResponse`), or with `Accept: text/event-stream` Server-Sent Events: `token` events with the answer as it
/// is written, then one `done` event with the full response (or an `error` event).
///
/// While a language model answers, at most `generation.maxConcurrent` answers are generated at once and
/// `generation.maxQueued` wait; a question beyond that gets 503 `generation_busy` with `Retry-After`.
struct QueryRoutes: Sendable {
    let service: QueryService
    let generation: GenerationLimiter
    /// Largest accepted request body (`PIPSIGHT_MAX_REQUEST_BYTES`).
    var maxBodyBytes = 1 << 20
    let logger: Logger
    /// Seconds a client is asked to wait when the generation queue is full.
    static let busyRetryAfterSeconds = 5

    func register(on group: RouterGroup<PipsightRequestContext>) {
        group.post("query") { request, context -> Response in
            let queryRequest = try await Self.decode(request, maxBodyBytes: maxBodyBytes)
            // Validates, and looks the answer up in the answer cache: a replayed answer needs no generation slot.
            let prepared = try await service.prepare(queryRequest)
            let permit = prepared.needsModel ? try await generationPermit() : nil
            if Self.wantsEventStream(request) {
                return eventStream(prepared, permit: permit)
            }
            do {
                let answer = try await service.answer(prepared)
                await permit?.release()
                var response = try Self.json(answer, status: .ok)
                if let cache = answer.timings.cache { response.headers[.pipsightCache] = cache.rawValue }
                return response
            } catch {
                await permit?.release()
                throw error
            }
        }
    }

    /// A generation slot, taken when the answer will come from the language model (not for offline or replayed
    /// answers, which are cheap and not limited). Throws 503 when the queue is full.
    func generationPermit() async throws -> GenerationPermit {
        do {
            return try await generation.acquire()
        } catch is GenerationLimiter.Full {
            var error = APIError(
                status: .serviceUnavailable, code: "generation_busy",
                message: "the language model is busy: \(generation.maxConcurrent) answers are being written and "
                    + "\(generation.maxQueued) are waiting; retry in \(Self.busyRetryAfterSeconds) s")
            error.headers[.retryAfter] = String(Self.busyRetryAfterSeconds)
            throw error
        }
    }

    static func decode(_ request: Request, maxBodyBytes: Int) async throws -> QueryRequest {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw tooLarge(maxBodyBytes)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw tooLarge(maxBodyBytes)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(QueryRequest.self, from: Data(buffer: buffer))
        } catch {
            throw PipsightError(
                .badRequest,
                "the body must be JSON {\"question\": …, \"backtestIds\"?: [uuid], \"from\"?: ISO 8601, \"to\"?: ISO 8601, \"k\"?: integer}: \(Self.describe(error))")
        }
    }

    static func tooLarge(_ maxBodyBytes: Int) -> PipsightError {
        PipsightError(.limitExceeded, "the query body is larger than \(maxBodyBytes) bytes (PIPSIGHT_MAX_REQUEST_BYTES)")
    }

    static func wantsEventStream(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("text/event-stream") ?? false
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The SSE response: `event: token` (data: the fragment as a JSON string), `event: done` (data: the
    /// response), or `event: error` (data: `{"code", "message"}`) when the answer fails after the stream began.
    func eventStream(_ prepared: PreparedQuery, permit: GenerationPermit?) -> Response {
        let service = self.service
        let logger = self.logger
        let body = ResponseBody { writer in
            let encoder = Self.encoder()
            do {
                for try await event in service.stream(prepared) {
                    switch event {
                    case .token(let text):
                        try await writer.write(Self.event("token", data: try encoder.encode(text)))
                    case .done(let response):
                        try await writer.write(Self.event("done", data: try encoder.encode(response)))
                    }
                }
            } catch {
                let pipsight = error as? PipsightError
                logger.warning("query stream failed", metadata: ["error": "\(error)"])
                let payload = ErrorPayload(
                    code: pipsight?.code.rawValue ?? "internal_error",
                    message: pipsight?.message ?? "internal error; see the server log")
                try await writer.write(Self.event("error", data: (try? encoder.encode(payload)) ?? Data("{}".utf8)))
            }
            await permit?.release()
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: body)
    }

    struct ErrorPayload: Encodable {
        var code: String
        var message: String
    }

    /// One SSE event; `data` is single-line JSON, so it needs no splitting.
    static func event(_ name: String, data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("event: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }
}

extension HTTPField.Name {
    /// `X-Pipsight-Cache: hit` on an answer replayed from the answer cache, `miss` on one computed and kept (JSON
    /// answers; a streamed answer says it in its `done` event's `timings.cache`).
    static var pipsightCache: Self {
        // A literal, valid header name: the initialiser cannot fail.
        Self("X-Pipsight-Cache")!
    }
}
