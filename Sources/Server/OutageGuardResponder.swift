import HTTPTypes
import Hummingbird
import PipsightCore
import Synchronization

/// The last line of defence against a request hanging on PostgreSQL: wraps the router's responder and, for `/v1`
/// requests, answers `503 database_unavailable` as soon as `DatabaseAvailability` finds PostgreSQL down, without
/// waiting for the route to notice.
///
/// `DatabaseAvailabilityMiddleware` already cancels a running route when PostgreSQL goes away, but a middleware
/// must wait for the route it called, and a PostgresNIO query that was in flight on a connection the server closed
/// can stay suspended past cancellation (seen when PostgreSQL is stopped under load: the route never returned).
/// Here the route runs in a task of its own that is cancelled and left behind, so the client gets its answer;
/// the task ends whenever the driver lets it.
struct OutageGuardResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == PipsightRequestContext {
    let inner: Inner
    let availability: DatabaseAvailability

    func respond(to request: Request, context: PipsightRequestContext) async throws -> Response {
        // Outside /v1, or while PostgreSQL is already known to be down (the middleware answers 503 at once), there is
        // nothing to guard.
        guard request.uri.path.hasPrefix("/v1"), !availability.isDown else {
            return try await inner.respond(to: request, context: context)
        }
        let inner = self.inner, availability = self.availability
        let work = Task { try await inner.respond(to: request, context: context) }
        let watcher = Task {
            await availability.whenDown()
            return !Task.isCancelled
        }
        let outcome = await withTaskCancellationHandler {
            await Self.first(work: work, watcher: watcher)
        } onCancel: {
            work.cancel()
            watcher.cancel()
        }
        switch outcome {
        case .finished(let result):
            watcher.cancel()
            return try result.get()
        case .down:
            work.cancel()
            context.logger.notice("PostgreSQL went away while the request was running; answered 503 without waiting for it")
            var error = DatabaseAvailabilityMiddleware<PipsightRequestContext>.unavailable()
            if let name = HTTPField.Name(RequestTrace.headerName), let id = request.headers[name] { error.headers[name] = id }
            return try error.response(from: request, context: context)
        }
    }

    enum Outcome: Sendable {
        case finished(Result<Response, any Error>)
        case down
    }

    /// Whichever comes first: the route's response (or error), or the outage.
    static func first(work: Task<Response, any Error>, watcher: Task<Bool, Never>) async -> Outcome {
        await withCheckedContinuation { continuation in
            let once = Once(continuation)
            Task { once.resume(.finished(await work.result)) }
            Task { if await watcher.value { once.resume(.down) } }
        }
    }

    /// A continuation resumed by the first of two tasks.
    final class Once: Sendable {
        private let continuation: Mutex<CheckedContinuation<Outcome, Never>?>

        init(_ continuation: CheckedContinuation<Outcome, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(_ outcome: Outcome) {
            continuation.withLock { $0.take() }?.resume(returning: outcome)
        }
    }
}
