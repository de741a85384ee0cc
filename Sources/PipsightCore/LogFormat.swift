import Foundation

/// How log lines are written (`PIPSIGHT_LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's human-readable lines (the default).
    case text
    /// One JSON object per line (`JSONLogHandler`), for log collectors.
    case json

    /// Reads `PIPSIGHT_LOG_FORMAT` (`text` when unset); an unknown value is a `configuration_error` naming the
    /// variable and the accepted values.
    public static func fromEnvironment(_ environment: [String: String]) throws -> LogFormat {
        guard let raw = environment["PIPSIGHT_LOG_FORMAT"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return .text
        }
        guard let format = LogFormat(rawValue: raw.lowercased()) else {
            throw PipsightError(
                .configuration,
                "PIPSIGHT_LOG_FORMAT is \"\(raw)\"; use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}
