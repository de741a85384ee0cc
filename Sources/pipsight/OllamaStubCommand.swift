import ArgumentParser
import Foundation
import PipsightTesting

/// `pipsight bench ollama-stub`: the tests' Ollama stub as a process, for load tests (scripts/bench/load).
struct OllamaStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ollama-stub",
        abstract: "Run the Ollama stub of the tests on 127.0.0.1 until killed (for scripts/bench/load).",
        discussion: """
            Prints its URL on the first line of standard output. It speaks Ollama's API (/api/version, /api/tags, \
            /api/embed, /api/chat) with instant answers: embeddings are hashes of the text, a chat reply repeats \
            the question. With --without-embedding only the chat model is offered, so Pipsight retrieves with its \
            built-in offline embedder (the vectors a generated corpus already has).
            """,
        shouldDisplay: false
    )

    @Option(help: "Port (0: any free port).")
    var port: Int = 0

    @Option(help: "Milliseconds to wait before every answer.")
    var latencyMs: Int = 0

    @Flag(help: "Offer only the chat model (llama3.2), not the embedding models.")
    var withoutEmbedding = false

    func run() async throws {
        var options = OllamaStubServer.Options(latency: .milliseconds(latencyMs))
        options.recordsRequests = false
        if withoutEmbedding { options.models = options.models.filter { $0.dimension == nil } }
        try await OllamaStubServer.withServer(options, port: port) { stub in
            FileHandle.standardOutput.write(Data((stub.url.absoluteString + "\n").utf8))
            // Serve until the process is killed.
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
