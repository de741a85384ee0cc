import Foundation
import PipsightCore

/// Reads typed fields out of one JSON object and turns every mismatch into a `PipsightError` that
/// names file, line, JSON path and field, e.g.
/// `events.json: line 5012: [412].time: expected epoch milliseconds, got "abc"`.
///
/// `null` and absent keys read as nil; the `required…` variants throw `.missingField` instead.
/// Numbers written as strings (`"12.5"`) are accepted, since some exporters quote them.
struct JSONFieldReader {
    let object: JSONObject
    private let basePath: String
    /// Set for an element of a top-level array: the path is `[index]`, built only when an error needs it.
    private let elementIndex: Int?
    let file: String
    let line: Int?

    /// `line` defaults to the line of the object's opening brace.
    init(_ object: JSONObject, path: String, file: String, line: Int? = nil) {
        self.object = object
        self.basePath = path
        self.elementIndex = nil
        self.file = file
        self.line = line ?? (object.line > 0 ? object.line : nil)
    }

    /// A reader for element `index` of a top-level array (path `[index]`).
    init(_ object: JSONObject, elementIndex: Int, file: String, line: Int?) {
        self.object = object
        self.basePath = ""
        self.elementIndex = elementIndex
        self.file = file
        self.line = line ?? (object.line > 0 ? object.line : nil)
    }

    /// JSON path of the object (`[412]`, `history.items[3]`); fields are appended as `.name`.
    var path: String {
        if let elementIndex { return "[\(elementIndex)]" }
        return basePath
    }

    // MARK: Errors

    /// The location of `field` inside this object.
    func location(_ field: String?) -> ErrorLocation {
        guard let field else { return ErrorLocation(file: file, line: line, path: path.isEmpty ? nil : path) }
        return ErrorLocation(file: file, line: line, path: Self.join(path, field), field: field)
    }

    /// `path` + `.field` (or just `field` at the top level).
    static func join(_ path: String, _ field: String) -> String {
        path.isEmpty ? field : "\(path).\(field)"
    }

    func wrongType(_ field: String, expected: String, got value: JSONNode) -> PipsightError {
        PipsightError(.wrongType, "expected \(expected), got \(value.shortDescription)", location: location(field))
    }

    func missing(_ field: String, _ what: String? = nil) -> PipsightError {
        PipsightError(.missingField, "missing \(what ?? "field") \"\(field)\"", location: location(field))
    }

    func invalid(_ field: String, _ message: String) -> PipsightError {
        PipsightError(.invalidValue, message, location: location(field))
    }

    /// A reader for a nested object (`main`, `testingPeriod`), or nil when absent or null.
    func nested(_ field: String) throws -> JSONFieldReader? {
        guard let value = object[field], !value.isNull else { return nil }
        guard let nested = value.object else { throw wrongType(field, expected: "an object", got: value) }
        return JSONFieldReader(nested, path: Self.join(path, field), file: file)
    }

    /// The value of a key that is present and not null.
    func value(_ field: String) -> JSONNode? {
        guard let value = object[field], !value.isNull else { return nil }
        return value
    }

    // MARK: Typed reads

    func string(_ field: String) throws -> String? {
        try string(field, value(field))
    }

    func string(_ field: String, _ node: JSONNode?) throws -> String? {
        guard let value = node, !value.isNull else { return nil }
        guard case .string(let text) = value else { throw wrongType(field, expected: "a string", got: value) }
        return text
    }

    func requiredString(_ field: String) throws -> String {
        guard let text = try string(field) else { throw missing(field) }
        return text
    }

    /// A string or a number, as text (ids: `positionId` is a number in events.json, may be a string elsewhere).
    func identifier(_ field: String) throws -> String? {
        try identifier(field, value(field))
    }

    func identifier(_ field: String, _ node: JSONNode?) throws -> String? {
        guard let value = node, !value.isNull else { return nil }
        switch value {
        case .string(let text): return text
        case .number(let text): return text
        default: throw wrongType(field, expected: "an id (a number or a string)", got: value)
        }
    }

    /// Any scalar as text (parameter values): strings, numbers, booleans.
    func text(_ field: String) -> String? {
        value(field)?.text
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = value(field) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        default: break
        }
        throw wrongType(field, expected: "true or false", got: value)
    }

    /// The literal text of a number (or numeric string), or nil when null/absent.
    private func numberText(_ field: String, _ node: JSONNode?, expected: String) throws -> String? {
        guard let value = node, !value.isNull else { return nil }
        switch value {
        case .number(let text): return text
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if JSONNumberLiteral.isNumberSyntax(trimmed) { return trimmed }
        default: break
        }
        throw wrongType(field, expected: expected, got: value)
    }

    /// An exact decimal (money, prices, volumes).
    func decimal(_ field: String) throws -> Decimal? {
        try decimal(field, value(field))
    }

    func decimal(_ field: String, _ node: JSONNode?) throws -> Decimal? {
        guard let text = try numberText(field, node, expected: "a number") else { return nil }
        guard let decimal = JSONNumberLiteral.decimal(text) else {
            throw invalid(field, "expected a finite number, got \(text)")
        }
        return decimal
    }

    /// A floating-point value (ratios such as profit factor); `NaN`/`Infinity` accepted, also as strings.
    func double(_ field: String) throws -> Double? {
        guard let value = value(field) else { return nil }
        switch value {
        case .number(let text):
            if let double = JSONNumberLiteral.double(text) { return double }
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            switch trimmed.lowercased() {
            case "nan": return .nan
            case "infinity", "+infinity", "∞", "inf": return .infinity
            case "-infinity", "-∞", "-inf": return -.infinity
            default:
                if JSONNumberLiteral.isNumberSyntax(trimmed), let double = Double(trimmed) { return double }
            }
        default: break
        }
        throw wrongType(field, expected: "a number", got: value)
    }

    func int64(_ field: String) throws -> Int64? {
        try int64(field, value(field))
    }

    func int64(_ field: String, _ node: JSONNode?) throws -> Int64? {
        guard let text = try numberText(field, node, expected: "an integer") else { return nil }
        guard let integer = JSONNumberLiteral.int64(text) else {
            throw wrongType(field, expected: "an integer", got: .number(text))
        }
        return integer
    }

    /// A time written as epoch milliseconds (epoch seconds accepted and scaled; ISO 8601 text accepted).
    func epochDate(_ field: String) throws -> Date? {
        try epochDate(field, value(field))
    }

    func epochDate(_ field: String, _ node: JSONNode?) throws -> Date? {
        guard let value = node, !value.isNull else { return nil }
        let text: String
        switch value {
        case .number(let literal): text = literal
        case .string(let string):
            let trimmed = string.trimmingCharacters(in: .whitespaces)
            if JSONNumberLiteral.isNumberSyntax(trimmed) {
                text = trimmed
            } else if let date = EpochMilliseconds.date(iso8601: trimmed) {
                return date
            } else {
                throw wrongType(field, expected: "epoch milliseconds", got: value)
            }
        default:
            throw wrongType(field, expected: "epoch milliseconds", got: value)
        }
        let date: Date?
        if let integer = Int64(text) {
            date = EpochMilliseconds.date(fromMilliseconds: integer)
        } else if let double = Double(text) {
            date = EpochMilliseconds.date(fromMilliseconds: double)
        } else {
            date = nil
        }
        guard let date else {
            throw invalid(field, "expected epoch milliseconds of a date between 2000 and 2099, got \(text)")
        }
        return date
    }

    func requiredEpochDate(_ field: String) throws -> Date {
        guard let date = try epochDate(field) else { throw missing(field) }
        return date
    }

    /// `buy`/`sell` in any case (also `long`/`short`).
    func direction(_ field: String) throws -> TradeDirection? {
        guard let text = try string(field) else { return nil }
        guard let direction = Self.direction(text) else {
            throw invalid(field, "expected \"buy\" or \"sell\", got \(JSONNode.string(text).shortDescription)")
        }
        return direction
    }

    /// `TradeDirection(text:)` with a fast path for the spellings cTrader writes (it trims through
    /// Foundation, which costs more than the rest of an event's decoding).
    static func direction(_ text: String) -> TradeDirection? {
        switch text {
        case "Buy", "buy", "BUY": return .buy
        case "Sell", "sell", "SELL": return .sell
        default: return TradeDirection(text: text)
        }
    }
}
