import Foundation
import Hummingbird
import Logging
import PipsightCore
import RAG

/// `POST /v1/query`: a question about the stored backtests. JSON in (`QueryRequest`); JSON out
/// (`QueryResponse`), or with `Accept: text/event-stream` Server-Sent Events: `token` events with the answer as it
/// is written, then one `done` event with the full response (or an `error` event).
struct QueryRoutes: Sendable {
    let service: QueryService
    let logger: Logger
    /// Largest accepted request body.
    static let maxBodyBytes = 64 * 1024

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("query") { request, context -> Response in
            let queryRequest = try await Self.decode(request, context: context)
            _ = try queryRequest.validated()
            if Self.wantsEventStream(request) {
                return eventStream(queryRequest)
            }
            let answer = try await service.answer(queryRequest)
            return try Self.json(answer, status: .ok)
        }
    }

    static func decode(_ request: Request, context: BasicRequestContext) async throws -> QueryRequest {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw PipsightError(.limitExceeded, "the query body is larger than \(maxBodyBytes) bytes")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(QueryRequest.self, from: Data(buffer: buffer))
        } catch {
            throw PipsightError(
                .badRequest,
                "the body must be JSON {\"question\": …, \"backtestIds\"?: [uuid], \"from\"?: ISO 8601, \"to\"?: ISO 8601, \"k\"?: 1–50}: \(Self.describe(error))")
        }
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
    func eventStream(_ queryRequest: QueryRequest) -> Response {
        let service = self.service
        let logger = self.logger
        let body = ResponseBody { writer in
            let encoder = Self.encoder()
            do {
                for try await event in service.stream(queryRequest) {
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
