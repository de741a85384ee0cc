import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PipsightCore
import PostgresStore
@testable import Server
import Synchronization
import Testing

/// `OutageGuardResponder`: a `/v1` route that stays suspended past cancellation (as a PostgresNIO query on a
/// connection the server closed can) does not hold its client once PostgreSQL is found down.
@Suite("Outage guard")
struct OutageGuardResponderTests {
    /// A continuation nobody resumes until the test lets it go: a route that ignores cancellation.
    final class Stuck: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        var count: Int { waiting.withLock { $0.count } }

        func wait() async {
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }

        func release() {
            for continuation in waiting.withLock({ list in defer { list.removeAll() }; return list }) { continuation.resume() }
        }
    }

    @Test("a stuck /v1 route is answered 503 database_unavailable when the probe finds PostgreSQL down")
    func stuckRouteGets503() async throws {
        let url = try DatabaseURL("postgres://pipsight@127.0.0.1:9/none")
        let availability = DatabaseAvailability(database: url, logger: Logger(label: "test"))
        let stuck = Stuck()
        let router = Router(context: PipsightRequestContext.self)
        router.get("v1/stuck") { _, _ -> String in
            await stuck.wait()
            return "late"
        }
        router.get("v1/quick") { _, _ in "quick" }
        let app = Application(responder: OutageGuardResponder(inner: router.buildResponder(), availability: availability))
        try await app.test(.router) { client in
            // While PostgreSQL is up, a route's own answer goes through.
            try await client.execute(uri: "/v1/quick", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "quick")
            }
            let request = Task {
                try await client.execute(uri: "/v1/stuck", method: .get, headers: [.init("X-Request-Id")!: "guard-1"]) {
                    ($0.status, $0.headers[.retryAfter], $0.headers[.init("X-Request-Id")!], String(buffer: $0.body))
                }
            }
            while stuck.count == 0 { try await Task.sleep(for: .milliseconds(5)) }
            availability.record(.down("test outage"))
            let (status, retryAfter, requestID, body) = try await request.value
            #expect(status == .serviceUnavailable)
            #expect(retryAfter == "2")
            #expect(requestID == "guard-1")
            #expect(body.contains("database_unavailable"))
            stuck.release()
        }
    }
}
