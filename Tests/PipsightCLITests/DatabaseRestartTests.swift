import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PipsightTesting
import Synchronization
import Testing

/// PostgreSQL stopped and started again under load: requests fail cleanly with a JSON 503 (never a 500), and
/// the same `pipsight serve` answers again once PostgreSQL is back.
@Suite("PostgreSQL restarted under load")
struct DatabaseRestartTests {
    /// The checkout, for `scripts/pg`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `scripts/pg command` on the throwaway cluster under `home`; returns what it printed.
    static func pg(_ command: String, home: URL) async throws -> String {
        let environment = ProcessInfo.processInfo.environment.merging(["PIPSIGHT_PG_HOME": home.path]) { _, new in new }
        let path = root.appendingPathComponent("scripts/pg").path
        let (status, output) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try spawn(path, [command], environment: environment) })
            }
        }
        try #require(status == 0, "scripts/pg \(command) failed with wait status \(status)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a program to its end, its standard output into a temporary file, and waits for it with `waitpid`.
    /// Not Foundation's `Process`: `scripts/pg` leaves a PostgreSQL server running behind it, and under `swift test`
    /// Process never noticed the script's exit. File descriptors above 2 are not inherited by the child, so the
    /// server it leaves behind holds none of the test's sockets.
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for descriptor in open where descriptor > 2 { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
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

    @Test("JSON 503s while it is down, the gate answers at once, and the same server recovers by itself")
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
            // Every answer during the outage is a JSON 503: `database_unavailable` from the gate once the probe has seen
            // the outage, `database_error` for a query that was cut off.
            let answered = outcomes.filter { $0.transportError == nil }
            let failures = answered.filter { $0.status != 200 }
            #expect(failures.allSatisfy { $0.status == 503 && ["database_unavailable", "database_error"].contains($0.code ?? "") },
                    "\(failures.map { "\($0.status ?? 0) \($0.code ?? "-")" }.prefix(5))")
            let gated = failures.filter { $0.code == "database_unavailable" }
            #expect(!gated.isEmpty, "no request was turned away by the availability gate")
            // The gate answers at once: it does not wait for PostgreSQL or the pool.
            #expect(gated.allSatisfy { $0.seconds < 5 }, "\(gated.map(\.seconds).max() ?? 0) s")
            #expect(outcomes.filter { $0.status == 200 }.count > 3)
            // No request hangs: one stuck on a connection PostgreSQL closed is answered by the outage guard.
            let slow = outcomes.filter { $0.transportError != nil || $0.seconds > 5 }
            #expect(slow.isEmpty, "requests that hung: \(slow.map { "\($0.status ?? 0) \($0.seconds) s \($0.transportError ?? "")" })")
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
