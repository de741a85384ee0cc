import Foundation
import MiniLM
import PipsightCore
import Testing

@Suite("SafetensorsFile: a checked, memory-mapped reader")
struct SafetensorsFileTests {
    /// A safetensors file with `header` (JSON text) and `payload` bytes after it.
    static func write(header: String, payload: [UInt8], declaredLength: UInt64? = nil) throws -> String {
        let headerBytes = Array(header.utf8)
        var bytes: [UInt8] = []
        let length = declaredLength ?? UInt64(headerBytes.count)
        for shift in 0..<8 { bytes.append(UInt8((length >> (8 * UInt64(shift))) & 0xFF)) }
        bytes += headerBytes + payload
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipsight-safetensors-\(UUID().uuidString).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    static func corruption(header: String, payload: [UInt8] = [], declaredLength: UInt64? = nil) throws -> PipsightError? {
        let path = try write(header: header, payload: payload, declaredLength: declaredLength)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return #expect(throws: PipsightError.self) {
            let file = try SafetensorsFile(path: path)
            _ = try file.floats("t", shape: [2])
        }
    }

    @Test func readsFloatTensorsAndMetadata() throws {
        let header = #"{"__metadata__":{"format":"pt"},"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let path = try Self.write(header: header, payload: Self.floatBytes([1.5, -2.25]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SafetensorsFile(path: path)
        #expect(try file.floats("t", shape: [2]) == [1.5, -2.25])
        #expect(file.entries.keys.sorted() == ["t"])
    }

    @Test func truncatedAndCorruptFilesFailWithTheReason() throws {
        let good = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        // Data cut short: the tensor's range passes the end of the file.
        let truncated = try Self.corruption(header: good, payload: Self.floatBytes([1]))
        #expect(truncated?.code == .corruptModelFile)
        #expect(truncated?.message.contains("truncated") == true)
        // A header length beyond the file.
        let longHeader = try Self.corruption(header: good, declaredLength: 1 << 40)
        #expect(longHeader?.code == .corruptModelFile)
        // Not JSON.
        #expect(try Self.corruption(header: "{not json", payload: [])?.code == .corruptModelFile)
        // Wrong dtype, wrong shape, byte count that does not match the shape, a missing tensor.
        let f16 = try Self.corruption(header: #"{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, payload: [0, 0, 0, 0])
        #expect(f16?.message.contains("F16") == true)
        let shape = try Self.corruption(header: #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#,
                                        payload: Self.floatBytes([1, 2, 3]))
        #expect(shape?.message.contains("shape") == true)
        let size = try Self.corruption(header: #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#,
                                       payload: Self.floatBytes([1, 2]))
        #expect(size?.code == .corruptModelFile)
        let missing = try Self.corruption(header: #"{"u":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                                          payload: Self.floatBytes([1, 2]))
        #expect(missing?.message.contains("missing") == true)
    }

    @Test func aFileShorterThanTheLengthFieldIsCorrupt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-short-\(UUID().uuidString)").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: PipsightError.self) { _ = try SafetensorsFile(path: path) }
        #expect(error?.code == .corruptModelFile)
        #expect(error?.location?.file == path)
    }
}
