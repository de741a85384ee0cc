import Foundation
import PipsightCore

/// What PostgreSQL can store of a text or JSON value. Its `text` cannot hold U+0000 and its `jsonb` refuses the
/// escape `\u0000`, so a NUL that an export (or an upload's file name) carries would fail the whole statement with
/// "invalid byte sequence" and the ingest with a `database_error`. Like the COPY rows (`CopyTextWriter.text`),
/// the values bound to statements drop it.
enum PostgresText {
    /// `value` without U+0000.
    static func text(_ value: String) -> String {
        guard value.utf8.contains(0) else { return value }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: value.unicodeScalars.lazy.filter { $0.value != 0 })
        return String(scalars)
    }

    /// `value` without U+0000, nil staying nil.
    static func text(_ value: String?) -> String? {
        value.map(text)
    }

    /// `value` as JSON text for a `jsonb` column, with U+0000 dropped from every string and key.
    static func json(_ value: JSONValue) -> String {
        let text = value.jsonText()
        // jsonText writes U+0000 as the escape \u0000 only; without that sequence there is nothing to drop.
        guard text.contains("\\u0000") else { return text }
        return withoutNUL(value).jsonText()
    }

    static func withoutNUL(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string): .string(Self.text(string))
        case .array(let values): .array(values.map(withoutNUL))
        case .object(let members):
            .object(Dictionary(
                members.map { (Self.text($0.key), withoutNUL($0.value)) }, uniquingKeysWith: { first, _ in first }))
        case .null, .bool, .number: value
        }
    }
}
