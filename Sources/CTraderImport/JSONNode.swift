import Foundation
import PipsightCore

/// A JSON value as read by ``JSONByteParser``. Numbers keep their literal text so money can become
/// `Decimal` without a detour through `Double`.
enum JSONNode: Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written (`434.3999999999999`, `-1e-3`; also `NaN`/`Infinity`, which the
    /// parser accepts leniently because .NET writers produce them).
    case number(String)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    /// The members of an object, or nil.
    var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or nil.
    var array: [JSONNode]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// True for `null`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as Pipsight's public `JSONValue` (numbers become `Double`), for `extra` and raw columns.
    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let text): return .number(JSONNumberLiteral.double(text) ?? .nan)
        case .string(let value): return .string(value)
        case .array(let values): return .array(values.map(\.jsonValue))
        case .object(let object): return .object(object.jsonValueMembers)
        }
    }

    /// The value as cTrader-style text: strings as they are, numbers as written, booleans as
    /// `true`/`false`, `null` as nil, arrays and objects as compact JSON.
    var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let value): return value
        case .array, .object: return jsonValue.jsonText()
        }
    }

    /// A short description for error messages: `"abc"`, `12.5`, `true`, `null`, `an object`, `an array`.
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let value):
            let clipped = value.count > 40 ? String(value.prefix(40)) + "…" : value
            let escaped = clipped.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\"\(escaped)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// The members of a JSON object in file order. Lookups scan linearly: cTrader objects are small
/// (an event has 16 keys), where a scan beats hashing. A repeated key resolves to its last value.
struct JSONObject: Sendable {
    var members: [(key: String, value: JSONNode)]
    /// The line of the opening `{` (0 when unknown), for error locations.
    var line: Int

    init(members: [(key: String, value: JSONNode)] = [], line: Int = 0) {
        self.members = members
        self.line = line
    }

    /// The value of `key` (exact spelling), or nil when absent.
    subscript(key: String) -> JSONNode? {
        var index = members.count - 1
        while index >= 0 {
            if members[index].key == key { return members[index].value }
            index -= 1
        }
        return nil
    }

    /// The value of the first key that matches `key` ignoring case, with its spelling.
    func member(caseInsensitive key: String) -> (key: String, value: JSONNode)? {
        if let exact = self[key] { return (key, exact) }
        let lower = key.lowercased()
        for member in members.reversed() where member.key.lowercased() == lower {
            return member
        }
        return nil
    }

    var keys: [String] { members.map(\.key) }

    /// The members as a `JSONValue` dictionary (last value wins for repeated keys).
    var jsonValueMembers: [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        result.reserveCapacity(members.count)
        for member in members { result[member.key] = member.value.jsonValue }
        return result
    }

    /// Members whose key is not in `known`, as `JSONValue`s (for the `extra` columns).
    func extra(excluding known: Set<String>) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for member in members where !known.contains(member.key) {
            result[member.key] = member.value.jsonValue
        }
        return result
    }
}
