import Foundation
import Logging
import PipsightCore

/// Reads cBot parameters from a `.cbotset` file in either shape cTrader is reported to write:
/// XML `<cbotset><parameters><parameter name="…" value="…"/>…` (see ``CBotSetXMLReader``), or JSON
/// `{"Parameters": {"Name": "Value", …}}`. The JSON reader also takes the CLI parameter-file shape
/// `{"parameters": [{"Name", "Value" | "Min"/"Max"/"Step" | "Values", "Optimize"}]}`.
///
/// The header has format `.cbotset` and, when the file says, the cBot name (`cBot`, `cBotName`,
/// `Name`), symbol and period (`Chart: {Symbol, Period}`). JSON keys are matched ignoring case;
/// unknown top-level keys go to `extra`. One `.parameter` record per parameter, in file order.
public struct CBotSetParser: ExportParser {
    /// Always `.cbotset`.
    public var format: ExportFormat { .cbotset }

    /// Creates a parser; it holds no state, so one value can parse many files, concurrently too.
    public init() {}

    public func parse(
        _ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        try input.limits.checkFile(input)
        let bytes = try JSONInputText.utf8Bytes(of: input)
        guard let first = bytes.first(where: { !JSONInputText.isWhitespace($0) }) else {
            throw PipsightError(.emptyInput, "the file is empty", location: ErrorLocation(file: input.name))
        }
        var header = BacktestHeader(format: .cbotset)
        let parameters: [Parameter]
        switch first {
        case UInt8(ascii: "<"):
            let reader = CBotSetXMLReader(file: input.name, limits: input.limits)
            // libxml2 gets UTF-8 without the declaration: it never switches encodings (see XMLDeclaredEncoding).
            try reader.read(XMLDeclaredEncoding.prepare(bytes, file: input.name))
            header.cBotName = reader.cBotName
            header.symbol = reader.symbol
            header.period = reader.period
            header.extra = reader.extra
            parameters = reader.parameters
        case UInt8(ascii: "{"):
            parameters = try readJSON(bytes, file: input.name, limits: input.limits, header: &header)
        default:
            throw PipsightError(
                .unknownFormat, "a .cbotset must be XML (starting with '<') or JSON (starting with '{')",
                location: ErrorLocation(file: input.name, line: 1)
            )
        }
        for parameter in parameters { try emit(.parameter(parameter)) }
        logger.debug(
            "read cBot parameters", metadata: ["import.file": "\(input.name)", "import.parameters": "\(parameters.count)"]
        )
        return header
    }

    private func readJSON(
        _ bytes: Data, file: String, limits: ImportLimits, header: inout BacktestHeader
    ) throws -> [Parameter] {
        let document = try JSONByteParser.withParser(bytes, file: file, limits: limits) { try $0.parseDocument() }
        guard let root = document.object else {
            throw PipsightError(
                .wrongType, "expected a JSON object, got \(document.shortDescription)",
                location: ErrorLocation(file: file, line: 1)
            )
        }
        var parameters: [Parameter] = []
        var sawParameters = false
        for member in root.members {
            switch member.key.lowercased() {
            case "parameters":
                sawParameters = true
                parameters = try JSONParameterList.parameters(in: member.value, path: member.key, file: file, line: nil)
            case "chart":
                if let chart = member.value.object {
                    for field in chart.members {
                        switch field.key.lowercased() {
                        case "symbol": header.symbol = field.value.text
                        case "period", "timeframe": header.period = field.value.text
                        default: header.extra["\(member.key).\(field.key)"] = field.value.jsonValue
                        }
                    }
                } else {
                    header.extra[member.key] = member.value.jsonValue
                }
            case "cbot", "cbotname", "name", "robot":
                if case .string(let name) = member.value { header.cBotName = name }
                else if let name = member.value.object?.member(caseInsensitive: "name")?.value.text {
                    header.cBotName = name
                } else {
                    header.extra[member.key] = member.value.jsonValue
                }
            case "symbol": header.symbol = member.value.text
            case "period", "timeframe": header.period = member.value.text
            default: header.extra[member.key] = member.value.jsonValue
            }
        }
        guard sawParameters else {
            throw PipsightError(
                .missingField, "missing field \"Parameters\"",
                location: ErrorLocation(file: file, line: root.line > 0 ? root.line : 1, path: "Parameters", field: "Parameters")
            )
        }
        return parameters
    }
}
