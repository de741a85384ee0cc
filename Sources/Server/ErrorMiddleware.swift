import Hummingbird
import Logging
import PipsightCore
import PostgresNIO

/// Turns every error a route throws into the JSON error body, so clients never see an HTML or empty error.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as PipsightError {
            throw APIError(error)
        } catch let error as PSQLError where Self.isConnectionLoss(error) {
            // PostgreSQL went away under this request (restart, crash): the client should retry, not report a bug.
            throw DatabaseAvailabilityMiddleware<Context>.unavailable()
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "too_large"
            case .badRequest: "bad_request"
            case .methodNotAllowed: "method_not_allowed"
            default: "http_\(error.status.code)"
            }
            throw APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(status: .internalServerError, code: "internal_error", message: "internal error; see the server log")
        }
    }

    /// A lost or refused connection, or PostgreSQL shutting down (SQLSTATE classes 08 and 57).
    static func isConnectionLoss(_ error: PSQLError) -> Bool {
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57")
        default:
            return false
        }
    }
}
