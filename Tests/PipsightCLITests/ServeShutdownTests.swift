import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipsightTesting
import PostgresStore
import Testing

/// `pipsight serve` stops cleanly on SIGTERM: it answers until then and exits with status 0.
@Suite("Serve lifecycle")
struct ServeShutdownTests {
    /// A port that was free a moment ago.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
        }
        try #require(bound == 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("SIGTERM drains and exits 0")
    func sigterm() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let port = try Self.freePort()
            let process = Process()
            process.executableURL = KilledIngestTests.binary
            process.arguments = ["serve", "--port", String(port), "--database-url", url.connectionString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let health = try #require(URL(string: "http://127.0.0.1:\(port)/readyz"))
            var ready = false
            for _ in 0..<300 where !ready {
                if let (_, response) = try? await URLSession.shared.data(from: health),
                   (response as? HTTPURLResponse)?.statusCode == 200 {
                    ready = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try #require(ready, "pipsight serve did not become ready")
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!process.isRunning)
            if !process.isRunning {
                #expect(process.terminationReason == .exit)
                #expect(process.terminationStatus == 0)
            }
        }
    }
}

/// SIGTERM while an answer is being generated: the server stops taking new work but finishes the answer it is
/// writing, then exits 0.
@Suite("Serve lifecycle: draining")
struct ServeDrainTests {
    @Test("SIGTERM during a streamed answer: the answer completes, then the process exits 0")
    func sigtermDrainsInFlightAnswer() async throws {
        let options = OllamaStubServer.Options(tokenDelay: .milliseconds(150))
        try await OllamaStubServer.withServer(options) { stub in
            try await TestDatabase.withEmptyDatabase { url in
                let sample = try SampleFile(.eventsJSON, seed: 4, trades: 30, name: "events.json")
                defer { sample.remove() }
                let file = sample.url
                let serve = try await ServeProcess(
                    databaseURL: url.connectionString, environment: ["PIPSIGHT_OLLAMA_URL": stub.url.absoluteString])
                defer { serve.stop() }
                _ = try await serve.upload(file)

                let question = Data(#"{"question": "Which weekday lost the most?"}"#.utf8)
                let answer = Task { try await serve.request("POST", "/v1/query", body: question, timeout: 60) }
                var generating = false
                for _ in 0..<600 where !generating {
                    generating = !stub.requests(to: "/api/chat").isEmpty
                    if !generating { try await Task.sleep(for: .milliseconds(50)) }
                }
                try #require(generating, "the question never reached the language model")
                kill(serve.process.processIdentifier, SIGTERM)

                let (body, status) = try await answer.value
                #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                let text = object?["answer"] as? String ?? ""
                #expect(text.contains("Stub answer to:"), "the answer was cut: \(text)")
                for _ in 0..<200 where serve.process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
                #expect(!serve.process.isRunning)
                if !serve.process.isRunning { #expect(serve.process.terminationStatus == 0) }
            }
        }
    }
}
