import Foundation
import PipsightTesting
import Synchronization
import Testing

/// PostgreSQL stopped and started again under load: requests fail cleanly with 503 (never hang, never 500), and
/// the same `pipsight serve` answers again once PostgreSQL is back.
@Suite("PostgreSQL restarted under load")
struct DatabaseRestartTests {
    /// The checkout, for `scripts/pg`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `scripts/pg command` on the throwaway cluster under `home`; returns what it printed.
    static func pg(_ command: String, home: URL) async throws -> String {
        let process = Process()
        process.executableURL = root.appendingPathComponent("scripts/pg")
        process.arguments = [command]
        process.environment = ProcessInfo.processInfo.environment.merging(["PIPSIGHT_PG_HOME": home.path]) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scripts/pg \(command) failed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One request's outcome while the load runs.
    struct Outcome: Sendable {
        var status: Int?
        var code: String?
        var seconds: Double
        var transportError: String?
    }

    /// Sends stats requests one after another until `stop` says so.
    static func load(_ serve: ServeProcess, path: String, until stop: @escaping @Sendable () -> Bool) async -> [Outcome] {
        var outcomes: [Outcome] = []
        while !stop() {
            let start = ContinuousClock.now
            do {
                let (data, status) = try await serve.request("GET", path, timeout: 20)
                let seconds = (ContinuousClock.now - start).seconds
                outcomes.append(Outcome(status: status, code: status == 200 ? nil : ServeProcess.errorCode(data), seconds: seconds))
            } catch {
                outcomes.append(Outcome(seconds: (ContinuousClock.now - start).seconds, transportError: "\(error)"))
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return outcomes
    }

    @Test("requests get 503 database_unavailable while it is down, none hangs, and the server recovers by itself")
    func restartUnderLoad() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-pg-restart-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let url = try await Self.pg("start", home: home)
        do {
            let file = home.appendingPathComponent("events.json")
            try SampleGenerator(seed: 11, trades: 300).write(.eventsJSON, to: file)
            let serve = try await ServeProcess(databaseURL: url)
            defer { serve.stop() }
            let id = try await serve.upload(file)
            let path = "/v1/backtests/\(id)/stats"

            let stopFlag = Flag()
            let loaders = (0..<3).map { _ in Task { await Self.load(serve, path: path) { stopFlag.isSet } } }
            try await Task.sleep(for: .seconds(1))
            _ = try await Self.pg("stop", home: home)
            try await Task.sleep(for: .seconds(4))
            let (readyBody, readyDown) = try await serve.request("GET", "/readyz", timeout: 10)
            _ = try await Self.pg("start", home: home)
            var recovered = false
            for _ in 0..<300 where !recovered {
                if let (_, status) = try? await serve.request("GET", path, timeout: 20), status == 200 { recovered = true }
                else { try await Task.sleep(for: .milliseconds(100)) }
            }
            stopFlag.set()
            var outcomes: [Outcome] = []
            for loader in loaders { outcomes += await loader.value }

            #expect(readyDown == 503, "readyz while PostgreSQL is down: \(String(decoding: readyBody, as: UTF8.self))")
            #expect(recovered, "the server did not answer 200 again after PostgreSQL came back")
            #expect(serve.process.isRunning, "pipsight serve must survive the restart")
            #expect(outcomes.allSatisfy { $0.transportError == nil }, "\(outcomes.compactMap(\.transportError).prefix(3))")
            let failures = outcomes.filter { $0.status != 200 }
            #expect(!failures.isEmpty, "no request saw the outage")
            #expect(failures.allSatisfy { $0.status == 503 && $0.code == "database_unavailable" },
                    "\(failures.map { "\($0.status ?? 0) \($0.code ?? "-")" }.prefix(5))")
            // A request waits for the probe (1 s period, 2 s timeout), not for the pool's one-minute circuit breaker.
            let slowest = outcomes.map(\.seconds).max() ?? 0
            #expect(slowest < 10, "a request took \(slowest) s")
            #expect(outcomes.filter { $0.status == 200 }.count > 3)
            _ = try await Self.pg("stop", home: home)
        } catch {
            _ = try? await Self.pg("stop", home: home)
            throw error
        }
    }
}

/// A flag set once, read from several tasks.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
