import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log `LogHandler` writing one JSON object per line:
/// `{"timestamp":"2026-11-26T01:02:03.456Z","level":"info","label":"pipsight.server","message":"…","metadata":{…}}`.
///
/// `metadata` merges, later winning: the handler's own metadata (`logger[metadataKey:]`), the metadata provider's
/// (for instance `request_id` from `Logger.MetadataProvider.requestTrace`), then the line's. Nested metadata
/// becomes nested JSON; every other value is a string. Each line is handed to `write` whole, so lines from
/// concurrent tasks never interleave.
public struct JSONLogHandler: LogHandler {
    /// Receives each finished line, newline included.
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: Sink

    /// A handler for `label` writing to `write` (default: standard error, one `write(2)` per line).
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping Sink = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    /// Writes a line to standard error.
    public static let standardError: Sink = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Writes a line to standard output.
    public static let standardOutput: Sink = { line in
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        var line = "{\"timestamp\":\""
        line += Self.timestamp()
        line += "\",\"level\":\""
        line += event.level.rawValue
        line += "\",\"label\":"
        Self.appendString(label, to: &line)
        line += ",\"message\":"
        Self.appendString(event.message.description, to: &line)
        line += ",\"metadata\":"
        Self.appendMetadata(merged, to: &line)
        line += "}\n"
        write(line)
    }

    /// Now, in UTC with milliseconds (`2026-11-26T01:02:03.456Z`).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(now.tv_nsec / 1_000_000))
    }

    static func appendMetadata(_ metadata: Logger.Metadata, to line: inout String) {
        line += "{"
        var first = true
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            if !first { line += "," }
            first = false
            appendString(key, to: &line)
            line += ":"
            appendValue(value, to: &line)
        }
        line += "}"
    }

    static func appendValue(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            appendString(text, to: &line)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &line)
        case .dictionary(let dictionary):
            appendMetadata(dictionary, to: &line)
        case .array(let values):
            line += "["
            for (position, element) in values.enumerated() {
                if position > 0 { line += "," }
                appendValue(element, to: &line)
            }
            line += "]"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped (`JSONValue.quoted`).
    static func appendString(_ text: String, to line: inout String) {
        line += JSONValue.quoted(text)
    }
}
