import HTTPTypes
import Hummingbird
import Logging
import PipsightCore

extension HTTPField.Name {
    /// `X-Request-Id`: the id of a request, accepted from the client and returned in the response.
    static var requestID: Self {
        // A literal, valid header name: the initialiser cannot fail.
        Self("X-Request-Id")!
    }
}

/// Gives every request an id: the client's `X-Request-Id` when it is sane (`RequestTrace.accepted`), else a new
/// one. The id is bound to `RequestTrace.id` while the request is handled (log lines carry it through the
/// metadata provider, calls to Ollama send it on), set as `request_id` on the request's logger, and returned in
/// the response's `X-Request-Id` header, error responses included.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = RequestTrace.accepted(request.headers[.requestID]) ?? RequestTrace.generate()
        var context = context
        context.logger[metadataKey: RequestTrace.metadataKey] = .string(id)
        var response: Response
        do {
            response = try await RequestTrace.$id.withValue(id) {
                try await next(request, context)
            }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.requestID] = id
        return response
    }
}
