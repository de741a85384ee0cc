import AsyncHTTPClient
import ServiceLifecycle

/// Keeps the server's `HTTPClient` (used by the Ollama client) for the life of the application and shuts it
/// down when the application stops.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
