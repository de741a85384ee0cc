import Foundation
import PipsightCore

/// Reads cBot parameters in the JSON shapes cTrader uses, keys matched ignoring case:
/// an object `{"Name": "Value", …}` or an array of entries
/// `[{"name", "value", "optimize", "min", "max", "step", "values", "metadata": {"friendlyName", "groupName"}}]`
/// (report `parameters`, `.optres` `parameters`, the CLI parameter file, `.cbotset` JSON).
/// Values become text as cTrader writes them; keys of an entry not modelled go to `extra`.
enum JSONParameterList {
    private static let entryKeys: Set<String> = [
        "name", "value", "optimize", "min", "max", "step", "values", "metadata", "friendlyname", "groupname",
    ]

    /// The parameters held by `node` (an object or an array of entries) at `path`.
    static func parameters(in node: JSONNode, path: String, file: String, line: Int?) throws -> [Parameter] {
        switch node {
        case .null:
            return []
        case .object(let object):
            return object.members.map { Parameter(name: $0.key, value: $0.value.text) }
        case .array(let entries):
            var result: [Parameter] = []
            result.reserveCapacity(entries.count)
            for (index, entry) in entries.enumerated() {
                let entryPath = "\(path)[\(index)]"
                guard let object = entry.object else {
                    throw PipsightError(
                        .wrongType, "expected a parameter object, got \(entry.shortDescription)",
                        location: ErrorLocation(file: file, line: line, path: entryPath)
                    )
                }
                result.append(try parameter(object, path: entryPath, file: file, line: line))
            }
            return result
        default:
            throw PipsightError(
                .wrongType, "expected parameters as an object or an array, got \(node.shortDescription)",
                location: ErrorLocation(file: file, line: line, path: path)
            )
        }
    }

    /// Name → value text, for the parameter values of an optimisation pass.
    static func values(in node: JSONNode, path: String, file: String, line: Int?) throws -> [String: String] {
        var result: [String: String] = [:]
        for parameter in try parameters(in: node, path: path, file: file, line: line) {
            result[parameter.name] = parameter.value ?? ""
        }
        return result
    }

    /// One entry `{"Name": …, "Value": …, …}`.
    static func parameter(_ object: JSONObject, path: String, file: String, line: Int?) throws -> Parameter {
        // Keys ignoring case: the CLI file writes `Name`, `.optres` writes `name`.
        var byLowercase: [String: (key: String, value: JSONNode)] = [:]
        for member in object.members { byLowercase[member.key.lowercased()] = member }
        func field(_ name: String) -> (key: String, value: JSONNode)? {
            guard let member = byLowercase[name], !member.value.isNull else { return nil }
            return member
        }
        let reader = JSONFieldReader(object, path: path, file: file, line: object.line > 0 ? object.line : line)

        guard let nameMember = field("name") else { throw reader.missing("name", "parameter field") }
        guard let name = nameMember.value.text, case .string = nameMember.value else {
            throw reader.wrongType(nameMember.key, expected: "a string", got: nameMember.value)
        }
        var parameter = Parameter(name: name)
        parameter.value = field("value")?.value.text
        if let optimize = field("optimize") { parameter.optimize = try reader.bool(optimize.key) }
        parameter.min = field("min")?.value.text
        parameter.max = field("max")?.value.text
        parameter.step = field("step")?.value.text
        if let values = field("values") {
            switch values.value {
            case .array(let elements): parameter.values = elements.map { $0.text ?? "null" }
            default: parameter.values = values.value.text.map { [$0] }
            }
        }
        var metadataExtra: [String: JSONValue] = [:]
        if let metadata = field("metadata") {
            guard let metadataObject = metadata.value.object else {
                throw reader.wrongType(metadata.key, expected: "an object", got: metadata.value)
            }
            for member in metadataObject.members {
                switch member.key.lowercased() {
                case "friendlyname": parameter.friendlyName = member.value.text
                case "groupname": parameter.groupName = member.value.text
                default: metadataExtra[member.key] = member.value.jsonValue
                }
            }
        }
        if let friendly = field("friendlyname") { parameter.friendlyName = friendly.value.text }
        if let group = field("groupname") { parameter.groupName = group.value.text }

        var extra: [String: JSONValue] = [:]
        for member in object.members where !entryKeys.contains(member.key.lowercased()) {
            extra[member.key] = member.value.jsonValue
        }
        if !metadataExtra.isEmpty { extra["metadata"] = .object(metadataExtra) }
        parameter.extra = extra
        return parameter
    }
}
