import Foundation
import Hummingbird
import Logging
import PostgresStore

/// Requires `Authorization: Bearer <key>` on every request it sees (the `/v1` routes). A missing, malformed,
/// unknown or revoked key is 401 with `WWW-Authenticate: Bearer`; a valid key without the scope the request
/// needs is 403. The key is put on the context for the rate limit.
struct APIKeyAuthMiddleware: RouterMiddleware {
    typealias Context = PipsightRequestContext
    let store: BacktestStore
    let useRecorder: APIKeyUseRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("this route needs an API key: send `Authorization: Bearer <key>` (create one with `pipsight keys create`)")
        }
        guard let token = Self.bearerToken(header) else {
            throw Self.unauthorized("the Authorization header must be `Bearer <key>`", error: "invalid_request")
        }
        let key: APIKey
        switch try await store.checkAPIKey(token) {
        case .malformed, .unknown:
            throw Self.unauthorized("the API key is not valid", error: "invalid_token")
        case .revoked:
            throw Self.unauthorized("the API key was revoked", error: "invalid_token")
        case .valid(let valid):
            key = valid
        }
        let scope = Self.requiredScope(request)
        guard key.allows(scope) else {
            var error = APIError(
                status: .forbidden, code: "insufficient_scope",
                message: "the API key \(key.id) lacks the \(scope.rawValue) scope this request needs")
            error.headers[.wwwAuthenticate] = #"Bearer realm="pipsight", error="insufficient_scope", scope="\#(scope.rawValue)""#
            throw error
        }
        if useRecorder.shouldRecord(key.id) {
            do {
                try await store.recordAPIKeyUse(id: key.id)
            } catch {
                context.logger.warning("could not record an API key's use", metadata: ["key": "\(key.id)", "error": "\(error)"])
            }
        }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "api_key"] = "\(key.id)"
        return try await next(request, context)
    }

    /// The key of `Bearer <key>` (scheme case-insensitive, RFC 6750); nil for any other shape.
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// `write` for requests that store or delete data; `read` for the rest. A POST is `write` unless it is one of
    /// the read-only POSTs (questions, cBot generation), so a new route that stores data is protected by default.
    static func requiredScope(_ request: Request) -> APIKeyScope {
        switch request.method {
        case .get, .head, .options:
            return .read
        case .post:
            let path = request.uri.path
            if path == "/v1/query" { return .read }
            let components = path.split(separator: "/")
            if components.count == 4, components[0] == "v1", components[1] == "backtests", components[3] == "cbot" {
                return .read
            }
            return .write
        default:
            return .write
        }
    }

    static func unauthorized(_ message: String, error: String? = nil) -> APIError {
        var apiError = APIError(status: .unauthorized, code: "unauthorized", message: message)
        apiError.headers[.wwwAuthenticate] = error.map { #"Bearer realm="pipsight", error="\#($0)""# } ?? #"Bearer realm="pipsight""#
        return apiError
    }
}
