import Foundation
import Testing

/// Compiles C# with Mono's `mcs` against the cAlgo stub, warnings as errors. A missing `mcs` is a failure, never a
/// skip: `scripts/setup` installs `mono-mcs`, and CI must not pass without compiling the generated code.
enum CSharpCompiler {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The `mcs` on PATH.
    static func mcs() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("mcs")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Failure(description: "mcs not found on PATH: install it with `apt-get install -y mono-mcs` (scripts/setup does)")
    }

    /// Compiles `sources` (file name → C#) together with the stub into a library; returns the compiler output.
    @discardableResult
    static func compile(_ sources: [String: String]) throws -> String {
        let compiler = try mcs()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-mcs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files = ["cAlgoStub.cs"]
        try CAlgoStub.source.write(to: directory.appendingPathComponent("cAlgoStub.cs"), atomically: true, encoding: .utf8)
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            files.append(name)
        }
        let process = Process()
        process.executableURL = compiler
        process.currentDirectoryURL = directory
        process.arguments = ["-target:library", "-warnaserror", "-nologo", "-out:Bots.dll"] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: directory.appendingPathComponent("Bots.dll").path) else {
            throw Failure(description: "mcs failed (\(process.terminationStatus)):\n\(output)")
        }
        return output
    }
}
