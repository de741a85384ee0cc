import Hummingbird
import PipsightCore
import PostgresNIO
import PostgresStore

/// `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL answers; Ollama and the index reported).
struct HealthRoutes: Sendable {
    let probes: ServerProbes

    struct Health: ResponseEncodable {
        var status: String
    }

    /// The `/readyz` body. Only PostgreSQL decides readiness: without Ollama the server answers offline.
    struct Readiness: ResponseEncodable {
        /// `ready` or `not_ready`.
        var status: String
        /// `ok` or `unreachable`.
        var database: String
        var ollama: ServerProbes.OllamaState
        var index: ServerProbes.IndexState
    }

    func register(on router: Router<PipsightRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok") }
        router.get("readyz") { _, _ -> EditedResponse<Readiness> in
            async let databaseUp = probes.databaseIsUp()
            async let ollama = probes.ollamaState()
            let up = await databaseUp
            let index = await probes.indexState(countDocuments: up)
            let readiness = Readiness(
                status: up ? "ready" : "not_ready", database: up ? "ok" : "unreachable", ollama: await ollama,
                index: index)
            return EditedResponse(status: up ? .ok : .serviceUnavailable, response: readiness)
        }
    }
}
