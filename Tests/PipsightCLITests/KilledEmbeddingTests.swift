import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

/// `pipsight reindex`, killed with SIGKILL while it embeds documents through a slow Ollama: what was stored stays
/// consistent (a document recorded as embedded has every one of its chunk vectors; nothing of the backtest is
/// lost), and running it again finishes the job, embedding only what was missing.
@Suite("A killed embedding run")
struct KilledEmbeddingTests {
    static let model = "all-minilm"

    /// Documents recorded as embedded by `model` whose stored chunk vectors are not exactly their recorded count.
    static let inconsistent: PostgresQuery = """
        SELECT count(*)::integer FROM document_embeddings e
        WHERE e.model = \(model)
          AND e.chunks <> (SELECT count(*) FROM vector_rows v
                           WHERE v.model = e.model AND split_part(v.id, '#', 1) = e.document_id)
        """

    static func run(_ arguments: [String], ollama: URL) throws -> Process {
        let process = Process()
        process.executableURL = KilledIngestTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PIPSIGHT_OLLAMA_URL"] = ollama.absoluteString
        environment["PIPSIGHT_EMBEDDER"] = "ollama:\(model)"
        environment["PIPSIGHT_EMBED_BATCH"] = "8"
        environment["PIPSIGHT_EMBED_CONCURRENCY"] = "1"
        // The stub answers from this test process, which other suites may starve when they run in parallel: the
        // default 2 s availability probe then fails the run before it embeds anything (this test is about SIGKILL).
        environment["PIPSIGHT_OLLAMA_PROBE_TIMEOUT"] = "30"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL between embedding batches: recorded documents are whole, nothing is lost, a rerun embeds the rest")
    func killDuringEmbedding() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: KilledIngestTests.binary.path), "build the pipsight product first (scripts/test does)")
        let sample = try SampleFile(.reportJSON, seed: 9, trades: 60, name: "report.json")
        defer { sample.remove() }
        let file = sample.url

        // Every embedding request takes 200 ms: the run lasts seconds, long enough to be caught in the middle.
        let options = OllamaStubServer.Options(latency: .milliseconds(200))
        try await OllamaStubServer.withServer(options) { stub in
            try await TestDatabase.withEmptyDatabase { url in
                let database = ["--database-url", url.connectionString]
                let ingest = try Self.run(["ingest", "--no-index"] + database + [file.path], ollama: stub.url)
                ingest.waitUntilExit()
                try #require(ingest.terminationStatus == 0)
                let trades = try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM trades")

                let process = try Self.run(["reindex"] + database, ollama: stub.url)
                var embeddedAtKill = 0
                for _ in 0..<3000 where process.isRunning {
                    embeddedAtKill = try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM document_embeddings")
                    if embeddedAtKill > 0 {
                        kill(process.processIdentifier, SIGKILL)
                        break
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                process.waitUntilExit()
                try #require(embeddedAtKill > 0, "the reindex ended before any document was embedded; nothing was killed")
                #expect(process.terminationReason == .uncaughtSignal)

                let documents = try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM documents")
                let embedded = try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM document_embeddings")
                #expect(embedded < documents, "the run was killed before it embedded every document")
                #expect(try await KilledIngestTests.integer(url, Self.inconsistent) == 0)
                #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM trades") == trades)
                #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM backtests") == 1)

                let requestsBefore = stub.requests.filter { $0.path == "/api/embed" }.count
                let rerun = try Self.run(["reindex"] + database, ollama: stub.url)
                rerun.waitUntilExit()
                #expect(rerun.terminationStatus == 0)
                #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM documents") == documents)
                #expect(try await KilledIngestTests.integer(url, "SELECT count(*)::integer FROM document_embeddings") == documents)
                #expect(try await KilledIngestTests.integer(url, Self.inconsistent) == 0)
                // Only what was missing was embedded again: fewer requests than embedding everything would take.
                let rerunRequests = stub.requests.filter { $0.path == "/api/embed" }.count - requestsBefore
                let chunks = try await KilledIngestTests.integer(url, "SELECT COALESCE(sum(chunks), 0)::integer FROM document_embeddings")
                #expect(rerunRequests < (chunks + 7) / 8)
            }
        }
    }
}
