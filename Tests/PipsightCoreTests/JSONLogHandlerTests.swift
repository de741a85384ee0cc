import Foundation
import Logging
import PipsightCore
import Synchronization
import Testing

/// The lines a `JSONLogHandler` wrote.
final class CollectedLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
}

@Suite("JSON log lines and the request id")
struct JSONLogHandlerTests {
    /// A logger whose lines land in `lines`.
    static func logger(_ lines: CollectedLines, provider: Logger.MetadataProvider? = .requestTrace) -> Logger {
        var logger = Logger(label: "pipsight.test") { label in
            JSONLogHandler(label: label, metadataProvider: provider) { line in lines.append(line) }
        }
        logger.logLevel = .debug
        return logger
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("one JSON object per line: timestamp, level, label, message, metadata")
    func fields() throws {
        let lines = CollectedLines()
        var logger = Self.logger(lines)
        logger[metadataKey: "component"] = "store"
        logger.warning("disk \"almost\" full\nsecond line", metadata: [
            "free_bytes": "\(1024)", "nested": ["a": "1", "list": ["x", "y"]],
        ])
        let written = lines.all
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try Self.object(line)
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "pipsight.test")
        #expect(object["message"] as? String == "disk \"almost\" full\nsecond line")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["component"] as? String == "store")
        #expect(metadata["free_bytes"] as? String == "1024")
        let nested = try #require(metadata["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == ["x", "y"])
        // 2026-11-26T01:02:03.456Z
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: timestamp))
        #expect(abs(date.timeIntervalSinceNow) < 60)
    }

    @Test("control characters are escaped, so a line stays one line")
    func escaping() throws {
        let lines = CollectedLines()
        Self.logger(lines).info("tab\there \u{01} bell\u{07} back\\slash")
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(try Self.object(line)["message"] as? String == "tab\there \u{01} bell\u{07} back\\slash")
    }

    @Test("lines written while a request is served carry its request_id, others none")
    func requestID() async throws {
        let lines = CollectedLines()
        let logger = Self.logger(lines)
        logger.info("before")
        await RequestTrace.$id.withValue("req-42") {
            logger.info("inside")
            // Child tasks inherit the id.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { logger.debug("child") }
            }
        }
        let objects = try lines.all.map(Self.object)
        let ids = objects.map { ($0["message"] as? String ?? "", ($0["metadata"] as? [String: Any])?["request_id"] as? String) }
        #expect(ids.count == 3)
        #expect(ids.first { $0.0 == "before" }?.1 == nil)
        #expect(ids.first { $0.0 == "inside" }?.1 == "req-42")
        #expect(ids.first { $0.0 == "child" }?.1 == "req-42")
    }

    @Test("a client's X-Request-Id is kept only when it is short and plain")
    func accepted() {
        #expect(RequestTrace.accepted("abc-123_DEF.4:5") == "abc-123_DEF.4:5")
        #expect(RequestTrace.accepted(nil) == nil)
        #expect(RequestTrace.accepted("") == nil)
        #expect(RequestTrace.accepted("two words") == nil)
        #expect(RequestTrace.accepted("line\nbreak") == nil)
        #expect(RequestTrace.accepted("quote\"") == nil)
        #expect(RequestTrace.accepted(String(repeating: "a", count: 128)) != nil)
        #expect(RequestTrace.accepted(String(repeating: "a", count: 129)) == nil)
        let generated = RequestTrace.generate()
        #expect(RequestTrace.accepted(generated) == generated)
        #expect(generated != RequestTrace.generate())
    }

    @Test("PIPSIGHT_LOG_FORMAT: text by default, json, anything else a configuration error")
    func logFormat() throws {
        #expect(try LogFormat.fromEnvironment([:]) == .text)
        #expect(try LogFormat.fromEnvironment(["PIPSIGHT_LOG_FORMAT": "JSON"]) == .json)
        #expect(try LogFormat.fromEnvironment(["PIPSIGHT_LOG_FORMAT": "text"]) == .text)
        let error = #expect(throws: PipsightError.self) { try LogFormat.fromEnvironment(["PIPSIGHT_LOG_FORMAT": "xml"]) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("PIPSIGHT_LOG_FORMAT") == true)
    }
}
