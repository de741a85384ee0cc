import Foundation
import PipsightCore
import PipsightTesting

/// A generated export in a temporary folder of its own, for the tests that run the `pipsight` binary on a file;
/// `remove()` (deferred by the caller) deletes the folder.
struct SampleFile {
    /// The folder holding the file.
    let directory: URL
    /// The written export.
    let url: URL

    /// Writes `trades` generated trades of `format` (seed `seed`) as `name` into a new temporary folder.
    init(_ format: ExportFormat, seed: UInt64, trades: Int, name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent(name)
        do {
            try SampleGenerator(seed: seed, trades: trades).write(format, to: url)
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
