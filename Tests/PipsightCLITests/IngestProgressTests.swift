import Foundation
import PipsightCore
import PipsightTesting
import Synchronization
import Testing

/// Progress within one file: `pipsight ingest` without a terminal prints a plain line on standard error at
/// every 10 % of each pass over a large file (hashing, then the History CSV parser's two passes); `--json`
/// prints none and its standard output stays one JSON document. `PIPSIGHT_PROGRESS_MIN_BYTES=1` makes this
/// small file count as large; 18,000 trades make at least two page hand-backs per pass (every 8,192 records).
@Suite("Ingest progress within a file")
struct IngestProgressTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = KilledIngestTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PIPSIGHT_PROGRESS_MIN_BYTES"] = "1"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let errorData = Mutex(Data())
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            done.signal()
        }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData.withLock { $0 }, as: UTF8.self))
    }

    /// The percentages of the lines of one phase, in order.
    static func percentages(_ errors: String, phase: String) -> [Int] {
        errors.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("history.csv: \(phase) ") else { return nil }
            let rest = line.dropFirst("history.csv: \(phase) ".count)
            return rest.split(separator: "%").first.flatMap { Int($0) }
        }
    }

    @Test("plain lines per pass without a terminal; none with --json")
    func plainLines() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: KilledIngestTests.binary.path), "build the pipsight product first")
        let sample = try SampleFile(.historyCSV, seed: 8, trades: 18_000, name: "history.csv")
        defer { sample.remove() }
        let file = sample.url

        try await TestDatabase.withEmptyDatabase { url in
            let plain = try Self.run(["ingest", "--no-index", "--database-url", url.connectionString, file.path])
            #expect(plain.status == 0, "\(plain.errors)")
            for phase in ["hashing", "reading (pass 1)", "reading (pass 2)"] {
                let seen = Self.percentages(plain.errors, phase: phase)
                #expect(!seen.isEmpty, "no \(phase) lines in: \(plain.errors)")
                #expect(seen == seen.sorted() && Set(seen).count == seen.count, "\(phase): \(seen)")
                #expect(seen.allSatisfy { (10...100).contains($0) }, "\(phase): \(seen)")
            }
            // The last hashed page: the file's end rounded down to a page.
            #expect((Self.percentages(plain.errors, phase: "hashing").last ?? 0) >= 99)
            #expect(plain.errors.contains(" GB)"))

            // The same file again: only hashed (already ingested), and with --json not even that is reported.
            let json = try Self.run(["ingest", "--no-index", "--json", "--database-url", url.connectionString, file.path])
            #expect(json.status == 0, "\(json.errors)")
            #expect(!json.errors.contains("history.csv: "), "\(json.errors)")
            let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            #expect((report?["totals"] as? [String: Any])?["filesSkipped"] as? Int == 1)
        }
    }
}
