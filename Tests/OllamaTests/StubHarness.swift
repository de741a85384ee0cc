import AsyncHTTPClient
import PipsightCore
import Foundation
import Logging
import PipsightTesting
@testable import Ollama

/// Runs `body` with a stub Ollama and a client pointed at it (fast retries, short timeouts).
func withStub<T: Sendable>(
    _ options: OllamaStubServer.Options = OllamaStubServer.Options(),
    configure: @Sendable (inout OllamaConfiguration) -> Void = { _ in },
    _ body: @Sendable (OllamaStubServer, OllamaClient) async throws -> T
) async throws -> T {
    try await OllamaStubServer.withServer(options) { stub in
        var configuration = OllamaConfiguration(
            baseURL: stub.url, requestTimeout: .seconds(10), loadTimeout: .seconds(20), probeTimeout: .seconds(10),
            retry: OllamaRetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(1), maxDelay: .milliseconds(5)))
        configure(&configuration)
        let client = OllamaClient(httpClient: .shared, configuration: configuration, logger: quietLogger)
        return try await body(stub, client)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "pipsight.ollama.tests")
    logger.logLevel = .critical
    return logger
}()

/// The repository's `models/` folder.
let modelsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("models")

/// Runs `operation` and returns the `PipsightError` it throws (nil when it throws nothing or something else).
func pipsightError(_ operation: () async throws -> Void) async -> PipsightError? {
    do {
        try await operation()
        return nil
    } catch let error as PipsightError {
        return error
    } catch {
        return nil
    }
}

/// The texts sent in each recorded `/api/embed` request.
func embedInputs(_ stub: OllamaStubServer) -> [[String]] {
    stub.requests(to: "/api/embed").map { request in
        guard case .array(let values)? = request.body?.objectValue?["input"] else { return [] }
        return values.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
