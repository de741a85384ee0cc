import Hummingbird
import PipsightCore
import PostgresNIO
import PostgresStore

/// `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL answers too).
struct HealthRoutes: Sendable {
    let store: BacktestStore

    struct Health: ResponseEncodable {
        var status: String
        var database: String?
    }

    func register(on router: Router<PipsightRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok") }
        router.get("readyz") { _, _ -> EditedResponse<Health> in
            do {
                // A database that cannot be reached makes the pool wait; readiness must answer quickly regardless.
                try await withTimeout(.seconds(2)) {
                    try await store.client.query("SELECT 1", logger: store.logger)
                }
                return EditedResponse(status: .ok, response: Health(status: "ready", database: "ok"))
            } catch {
                return EditedResponse(status: .serviceUnavailable, response: Health(status: "not_ready", database: "unreachable"))
            }
        }
    }
}
