import Foundation
import PipsightCore

extension CBotOptions {
    /// Reads a split date: `2024-06-01` (midnight UTC) or a full ISO 8601 time (`2024-06-01T12:00:00Z`).
    public static func splitDate(from text: String) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()) { return date }
        throw PipsightError(.badRequest, "split date \"\(text)\" is neither YYYY-MM-DD nor an ISO 8601 time", location: ErrorLocation(field: "splitDate"))
    }

    /// Reads a template name (`filter`, `sma`, `rsi`).
    public static func template(from text: String) throws -> CBotTemplate {
        guard let template = CBotTemplate(rawValue: text.lowercased()) else {
            throw PipsightError(
                .badRequest, "unknown template \"\(text)\"; use one of \(CBotTemplate.allCases.map(\.rawValue).joined(separator: ", "))",
                location: ErrorLocation(field: "template"))
        }
        return template
    }
}
