import Foundation
import PipsightCore

/// A `.safetensors` file mapped read-only into memory: an 8-byte little-endian header length, a JSON header
/// (`{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`), then the
/// tensors' bytes. Only `F32` tensors can be read; every offset and shape is checked against the file, so a
/// truncated or corrupt file fails with `corrupt_model_file` naming the file and the tensor.
public final class SafetensorsFile: @unchecked Sendable {
    /// One tensor's entry in the header.
    public struct Entry: Sendable, Hashable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range inside the data section (after the header).
        public var begin: Int
        public var end: Int

        /// Elements the shape holds.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The path it was read from.
    public let path: String
    /// Tensors by name.
    public let entries: [String: Entry]
    private let file: MappedFile
    private let dataStart: Int

    /// Maps and checks `path`. Throws `embedding_model_missing` when the file does not exist and
    /// `corrupt_model_file` when its header is not a valid safetensors header for its size.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipsightError(.embeddingModelMissing, "the model file is missing", location: ErrorLocation(file: path))
        }
        let file = try MappedFile(path: path)
        self.file = file
        let data = file.data
        func corrupt(_ message: String) -> PipsightError {
            PipsightError(.corruptModelFile, "not a valid safetensors file: \(message)", location: ErrorLocation(file: path))
        }
        guard data.count >= 8 else { throw corrupt("\(data.count) bytes, shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for (shift, byte) in data.prefix(8).enumerated() { headerLength |= UInt64(byte) << (8 * UInt64(shift)) }
        guard headerLength >= 2, headerLength <= UInt64(data.count - 8) else {
            throw corrupt("the header claims \(headerLength) bytes but the file has \(data.count) (truncated?)")
        }
        dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<dataStart)
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw corrupt("the header is not a JSON object")
        }
        let dataLength = data.count - dataStart
        var entries: [String: Entry] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = (fields["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (fields["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (fields["shape"] as? [Any])?.count
            else { throw corrupt("tensor '\(name)' has no dtype, shape or data_offsets") }
            let entry = Entry(dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
            guard entry.begin >= 0, entry.begin <= entry.end, entry.end <= dataLength else {
                throw corrupt("tensor '\(name)' lies at bytes \(entry.begin)..<\(entry.end) but the data section has \(dataLength) (truncated?)")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw corrupt("tensor '\(name)' has a negative dimension") }
            entries[name] = entry
        }
        self.entries = entries
    }

    /// The elements of the `F32` tensor `name`, checked to have `shape`. Copies them out of the mapping (the
    /// encoder keeps its weights in aligned arrays; the data section need not be 4-byte aligned).
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let entry = entries[name] else {
            throw PipsightError(.corruptModelFile, "tensor '\(name)' is missing", location: ErrorLocation(file: path, field: name))
        }
        guard entry.dtype == "F32" else {
            throw PipsightError(.corruptModelFile, "tensor '\(name)' is \(entry.dtype); only F32 is supported",
                                location: ErrorLocation(file: path, field: name))
        }
        guard entry.shape == shape else {
            throw PipsightError(.corruptModelFile, "tensor '\(name)' has shape \(entry.shape), expected \(shape)",
                                location: ErrorLocation(file: path, field: name))
        }
        let count = entry.elementCount
        guard entry.end - entry.begin == count * MemoryLayout<Float>.size else {
            throw PipsightError(.corruptModelFile,
                                "tensor '\(name)' holds \(entry.end - entry.begin) bytes for \(count) floats",
                                location: ErrorLocation(file: path, field: name))
        }
        var result = [Float](repeating: 0, count: count)
        let start = dataStart + entry.begin
        result.withUnsafeMutableBytes { target in
            file.data.withUnsafeBytes { source in
                guard let base = source.baseAddress, let destination = target.baseAddress else { return }
                // Little-endian floats, as safetensors stores them (every platform Pipsight runs on is little-endian).
                destination.copyMemory(from: base + start, byteCount: count * MemoryLayout<Float>.size)
            }
        }
        return result
    }
}
