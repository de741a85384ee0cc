import Foundation
import Testing
@testable import PipsightCore

@Suite("MappedFile")
struct MappedFileTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-mapped-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    @Test("released pages read back the same bytes from the file")
    func releasedPagesReadBack() throws {
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let url = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let mapped = try MappedFile(path: url.path)
        #expect(mapped.data.count == bytes.count)
        mapped.data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            mapped.releasePages(before: base + 700_000)
        }
        #expect(mapped.releasedBytes > 0)
        #expect(mapped.releasedBytes <= 700_000)
        #expect(Array(mapped.data) == bytes)
    }

    @Test("a pointer outside the mapping releases nothing")
    func outsidePointerIgnored() throws {
        let url = try temporaryFile(Array(repeating: 0x41, count: 64 << 10))
        defer { try? FileManager.default.removeItem(at: url) }
        let mapped = try MappedFile(path: url.path)
        let other = [UInt8](repeating: 0, count: 1 << 16)
        other.withUnsafeBytes { raw in
            if let base = raw.baseAddress { mapped.releasePages(before: base + raw.count) }
        }
        #expect(mapped.releasedBytes == 0)
    }

    @Test("an empty file maps to empty data; a missing file is an io error with its path")
    func emptyAndMissing() throws {
        let url = try temporaryFile([])
        defer { try? FileManager.default.removeItem(at: url) }
        let mapped = try MappedFile(path: url.path)
        #expect(mapped.data.isEmpty)
        let missing = url.path + "-missing"
        let error = #expect(throws: PipsightError.self) { try MappedFile(path: missing) }
        #expect(error?.code == .io)
        #expect(error?.location?.file == missing)
    }

    @Test("a directory is refused")
    func directoryRefused() {
        let error = #expect(throws: PipsightError.self) {
            try MappedFile(path: FileManager.default.temporaryDirectory.path)
        }
        #expect(error?.code == .io)
    }
}
