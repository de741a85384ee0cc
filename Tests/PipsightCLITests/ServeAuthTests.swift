import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipsightTesting
import Testing

/// `pipsight serve` with the key `pipsight keys create` printed: the whole path an operator takes.
@Suite("pipsight serve with API keys")
struct ServeAuthTests {
    static func status(_ url: URL, key: String?) async throws -> Int? {
        var request = URLRequest(url: url)
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode
    }

    @Test("401 without a key, 200 with the created key, 401 once it is revoked; /healthz open")
    func serveWithKey() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let database = ["--database-url", url.connectionString]
            let created = try StatsCommandTests.run(["keys", "create", "--name", "e2e", "--json"] + database)
            #expect(created.status == 0, "\(created.error)")
            let json = try KeysCommandTests.object(created.output)
            let key = try #require(json["key"] as? String)
            let id = try #require(json["id"] as? String)

            let port = try ServeShutdownTests.freePort()
            let process = Process()
            process.executableURL = StatsCommandTests.binary
            process.arguments = ["serve", "--port", String(port)] + database
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let base = "http://127.0.0.1:\(port)"
            let health = try #require(URL(string: "\(base)/healthz"))
            var ready = false
            for _ in 0..<300 where !ready {
                if (try? await Self.status(health, key: nil)) == 200 {
                    ready = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try #require(ready, "pipsight serve did not start")
            let backtests = try #require(URL(string: "\(base)/v1/backtests"))
            #expect(try await Self.status(backtests, key: nil) == 401)
            #expect(try await Self.status(backtests, key: key) == 200)
            let revoked = try StatsCommandTests.run(["keys", "revoke", id] + database)
            #expect(revoked.status == 0, "\(revoked.error)")
            #expect(try await Self.status(backtests, key: key) == 401)
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }
}
