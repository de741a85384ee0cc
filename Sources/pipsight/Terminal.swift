import ArgumentParser
import Foundation
import PipsightCore

/// Output helpers for the CLI: standard error, terminal detection, a one-line progress bar.
enum Terminal {
    /// True when standard error is a terminal (progress bars go there; pipes get plain lines).
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `body`; a `PipsightError` is printed as `error: file: path: message [code]` and exits 1.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PipsightError {
            Terminal.error("error: \(error) [\(error.code)]")
            throw ExitCode(1)
        }
    }

    /// `[########------------] 3/12 name` redrawn in place on a terminal.
    static func progress(done: Int, total: Int, label: String) {
        guard isInteractive, total > 0 else { return }
        let width = 24
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let text = "\r[\(bar)] \(done)/\(total) \(label.prefix(40))"
        FileHandle.standardError.write(Data((text.padding(toLength: 80, withPad: " ", startingAt: 0)).utf8))
    }

    static func clearProgress() {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 80) + "\r").utf8))
    }
}

/// Prints a value as pretty JSON (sorted keys, ISO 8601 dates).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
