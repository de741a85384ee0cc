import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipsightCore
import Testing

/// A `pipsight serve` child process on a free port, for the tests that fault the world around it.
final class ServeProcess: Sendable {
    let process: Process
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts `pipsight serve` on `databaseURL` with `environment` added (API keys off unless it says otherwise)
    /// and waits until `/healthz` answers.
    init(databaseURL: String, environment: [String: String] = [:]) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: KilledIngestTests.binary.path), "build the pipsight product first")
        port = try ServeShutdownTests.freePort()
        process = Process()
        process.executableURL = KilledIngestTests.binary
        process.arguments = ["serve", "--port", String(port), "--database-url", databaseURL]
        var env = ProcessInfo.processInfo.environment
        env["PIPSIGHT_AUTH_DISABLED"] = "true"
        env["PIPSIGHT_RATE_LIMIT"] = "0"
        env["PIPSIGHT_OLLAMA_URL"] = env["PIPSIGHT_OLLAMA_URL"] ?? "http://127.0.0.1:9"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        // PIPSIGHT_TEST_SERVE_LOG=FILE keeps the server's log (to see what a failing test's server did).
        if let log = ProcessInfo.processInfo.environment["PIPSIGHT_TEST_SERVE_LOG"],
           FileManager.default.createFile(atPath: log, contents: nil), let handle = FileHandle(forWritingAtPath: log) {
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        var up = false
        for _ in 0..<300 where !up && process.isRunning {
            if let (_, status) = try? await request("GET", "/healthz", timeout: 2), status == 200 {
                up = true
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        if !up { stop() }
        try #require(up, "pipsight serve did not start")
    }

    /// Sends a request; returns the body and the status.
    func request(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
                 timeout: TimeInterval = 30) async throws -> (Data, Int) {
        let url = try #require(URL(string: base + path))
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    /// Uploads `file` and returns the id of the backtest it became.
    func upload(_ file: URL) async throws -> String {
        let (data, status) = try await request(
            "POST", "/v1/backtests?name=\(file.lastPathComponent)", body: try Data(contentsOf: file), contentType: "application/octet-stream")
        #expect(status == 201, "upload: \(String(decoding: data, as: UTF8.self))")
        let (list, _) = try await request("GET", "/v1/backtests")
        let object = try JSONSerialization.jsonObject(with: list) as? [String: Any]
        let first = (object?["backtests"] as? [[String: Any]])?.first
        return try #require(first?["id"] as? String)
    }

    /// The `error.code` of a JSON error body.
    static func errorCode(_ data: Data) -> String? {
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
