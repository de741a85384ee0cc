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
