import Foundation
import Logging

/// The id of the HTTP request being served, carried as a task-local value so that everything the request does
/// (log lines, calls to Ollama) can name it without passing it through every function.
///
/// The server's request-id middleware binds it for the duration of each request; child tasks (`async let`,
/// task groups, `Task {}`) inherit it, detached tasks do not.
public enum RequestTrace {
    /// The header that carries the id, on incoming requests, responses and outgoing calls to Ollama.
    public static let headerName = "X-Request-Id"
    /// The log metadata key of the id.
    public static let metadataKey = "request_id"
    /// Longest id accepted from a client.
    public static let maxLength = 128

    /// The id of the request the current task serves; nil outside a request.
    @TaskLocal public static var id: String?

    /// `candidate` when it is a sane id (1–128 characters of `A–Z a–z 0–9 . _ : -`), else nil: an id that could
    /// break a log line or a header, or flood the logs, is replaced rather than trusted.
    public static func accepted(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty, candidate.utf8.count <= maxLength else { return nil }
        let allowed = candidate.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                 UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        return allowed ? candidate : nil
    }

    /// A new id: a random UUID in lower case.
    public static func generate() -> String {
        UUID().uuidString.lowercased()
    }
}

extension Logger.MetadataProvider {
    /// Adds `request_id` to every log line written while a request is served (see `RequestTrace`).
    public static let requestTrace = Logger.MetadataProvider {
        guard let id = RequestTrace.id else { return [:] }
        return [RequestTrace.metadataKey: .string(id)]
    }
}
