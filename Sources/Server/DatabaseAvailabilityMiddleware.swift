import Hummingbird
import PipsightCore

/// Keeps `/v1` requests from hanging while PostgreSQL is away: 503 `database_unavailable` with `Retry-After` at
/// once while `DatabaseAvailability` finds it down, and for a request already running when it goes down (its
/// handler is cancelled, which also withdraws its wait for a pooled connection).
struct DatabaseAvailabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let availability: DatabaseAvailability

    /// Seconds a client is told to wait before trying again.
    static var retryAfterSeconds: Int { 2 }

    static func unavailable() -> APIError {
        var error = APIError(
            status: .serviceUnavailable, code: "database_unavailable",
            message: "PostgreSQL cannot be reached right now; nothing was changed, try again in a few seconds")
        error.headers[.retryAfter] = String(retryAfterSeconds)
        return error
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if availability.isDown { throw Self.unavailable() }
        return try await withoutActuallyEscaping(next) { next in
            // The handler runs in a child task so that an outage can cancel it; the group is awaited here, so `next`
            // never outlives this call. Hummingbird's responder chain is safe to call from another task.
            let handler = UncheckedHandler(call: next)
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await handler.call(request, context) }
                group.addTask {
                    await availability.whenDown()
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw Self.unavailable() }
                guard let response = first else { throw Self.unavailable() }
                return response
            }
        }
    }

    private struct UncheckedHandler: @unchecked Sendable {
        let call: (Request, Context) async throws -> Response
    }
}
