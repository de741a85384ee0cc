import Foundation
import Testing
@testable import PipsightCore

/// The History CSV parser reads its file twice (IDs first, then rows): the second pass must hand its pages
/// back too, or a 5 GB file ends up wholly resident.
@Suite("MappedFile second pass")
struct MappedFileSecondPassTests {
    @Test("a pointer behind the released mark starts a new pass that releases again")
    func secondPassReleases() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-pass-\(UUID().uuidString)")
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 3) }
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let mapped = try MappedFile(path: url.path)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        mapped.data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            mapped.releasePages(before: base + 900_000)  // first pass, near the end
        }
        #expect(mapped.releasedBytes == (900_000 / page) * page)
        mapped.data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            mapped.releasePages(before: base + 200_000)  // second pass, from the start again
        }
        #expect(mapped.releasedBytes == (200_000 / page) * page)
        mapped.data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            mapped.releasePages(before: base + 600_000)
        }
        #expect(mapped.releasedBytes == (600_000 / page) * page)
        #expect(Array(mapped.data) == bytes)
    }
}
