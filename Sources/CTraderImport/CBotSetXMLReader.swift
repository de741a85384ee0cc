import Foundation
import PipsightCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the XML shape of a `.cbotset`: `<cbotset><parameters><parameter name="…" value="…"/>…`.
/// Element and attribute names are matched ignoring case; a `<parameter>` without a `value` attribute
/// takes its text content. Root attributes `name`/`cBot`/`cBotName`, `symbol` and `period` (or child
/// elements of those names, or a `<chart symbol= period=>` element) fill the header; other root
/// attributes go to `extra`.
final class CBotSetXMLReader: NSObject, XMLParserDelegate {
    private(set) var parameters: [Parameter] = []
    private(set) var cBotName: String?
    private(set) var symbol: String?
    private(set) var period: String?
    private(set) var extra: [String: JSONValue] = [:]
    private(set) var failure: PipsightError?

    private let file: String
    private let limits: ImportLimits
    private var depth = 0
    private var sawRoot = false
    /// The parameter being read, while its text content may still follow.
    private var pending: (parameter: Parameter, hasValueAttribute: Bool)?
    /// Text of a header child element (`<symbol>EURUSD</symbol>`) being read.
    private var headerElement: String?
    private var text = ""

    private static let parameterAttributes: Set<String> = [
        "name", "value", "optimize", "min", "max", "step", "values", "friendlyname", "groupname",
    ]

    init(file: String, limits: ImportLimits = .defaults) {
        self.file = file
        self.limits = limits
    }

    /// Stops the parse with a `limit_exceeded` error at the current line.
    private func exceed(_ parser: XMLParser, _ keyPath: WritableKeyPath<ImportLimits, Int>, _ what: String) {
        guard failure == nil else { return }
        failure = limits.exceeded(keyPath, what, location: ErrorLocation(file: file, line: max(parser.lineNumber, 1)))
        parser.abortParsing()
    }

    /// Parses `data`; throws `.malformedXML` with the line of the first syntax error.
    func read(_ data: Data) throws {
        // XML allows no U+0000, and libxml2 (2.9.14) can crash in `xmlParseChunk` on a document holding NUL
        // bytes (found by fuzzing: "<\0?\0" and a few more bytes), so they are refused before it sees them.
        if let nul = data.firstIndex(of: 0) {
            let line = data[data.startIndex..<nul].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            throw PipsightError(
                .malformedXML, "malformed XML: the document holds a NUL byte, which XML does not allow",
                location: ErrorLocation(file: file, line: line))
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = self
        // On Linux `parse()` may return true after libxml2 recovered from an error, so errors are
        // taken from the delegate callback (the first one wins) as well as from the result.
        let succeeded = parser.parse()
        if let failure { throw failure }
        guard succeeded else {
            throw Self.malformed(parser.parserError, file: file, line: parser.lineNumber)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil else { return }
        failure = Self.malformed(parseError, file: file, line: parser.lineNumber)
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        self.parser(parser, parseErrorOccurred: validationError)
    }

    /// The parser's error codes differ between platforms (libxml2's on Linux, Foundation's on Darwin),
    /// so the message gives the line and the raw code rather than a guessed description.
    private static func malformed(_ error: (any Error)?, file: String, line: Int) -> PipsightError {
        let code = error.map { " (parser error \(($0 as NSError).code))" } ?? ""
        return PipsightError(
            .malformedXML, "malformed XML: the document is not well formed at this line\(code)",
            location: ErrorLocation(file: file, line: max(line, 1))
        )
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        guard failure == nil else { return }
        if depth > limits.maxJSONDepth {
            exceed(parser, \.maxJSONDepth, "elements nested deeper than")
            return
        }
        if let long = attributes.first(where: { $0.value.utf8.count > limits.maxStringBytes }) {
            exceed(parser, \.maxStringBytes, "the attribute \(long.key) is longer (in bytes) than")
            return
        }
        let name = elementName.lowercased()
        var lowered: [String: (key: String, value: String)] = [:]
        for (key, value) in attributes { lowered[key.lowercased()] = (key, value) }

        if !sawRoot {
            sawRoot = true
            for (key, value) in attributes {
                switch key.lowercased() {
                case "name", "cbot", "cbotname": cBotName = value
                case "symbol": symbol = value
                case "period", "timeframe": period = value
                case "xmlns", "version": break
                default: extra[key] = .string(value)
                }
            }
            return
        }
        switch name {
        case "parameter":
            guard let parameterName = lowered["name"]?.value else {
                failure = PipsightError(
                    .missingField, "a <parameter> element has no \"name\" attribute",
                    location: ErrorLocation(file: file, line: parser.lineNumber, path: "parameter", field: "name")
                )
                parser.abortParsing()
                return
            }
            var parameter = Parameter(name: parameterName, value: lowered["value"]?.value)
            if let optimize = lowered["optimize"]?.value.lowercased() {
                parameter.optimize = optimize == "true" ? true : optimize == "false" ? false : nil
            }
            parameter.min = lowered["min"]?.value
            parameter.max = lowered["max"]?.value
            parameter.step = lowered["step"]?.value
            parameter.values = lowered["values"]?.value.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            parameter.friendlyName = lowered["friendlyname"]?.value
            parameter.groupName = lowered["groupname"]?.value
            for (key, value) in attributes where !Self.parameterAttributes.contains(key.lowercased()) {
                parameter.extra[key] = .string(value)
            }
            pending = (parameter, lowered["value"] != nil)
            text = ""
        case "chart" where depth == 2:
            symbol = lowered["symbol"]?.value ?? symbol
            period = lowered["period"]?.value ?? lowered["timeframe"]?.value ?? period
        case "name", "cbot", "cbotname", "symbol", "period", "timeframe":
            guard depth == 2 else { return }
            headerElement = name
            text = ""
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, pending != nil || headerElement != nil else { return }
        text += string
        if text.utf8.count > limits.maxStringBytes { exceed(parser, \.maxStringBytes, "element text longer (in bytes) than") }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        defer { depth -= 1 }
        let name = elementName.lowercased()
        if name == "parameter", let current = pending {
            var parameter = current.parameter
            if !current.hasValueAttribute {
                let content = text.trimmingCharacters(in: .whitespacesAndNewlines)
                parameter.value = content.isEmpty ? nil : content
            }
            parameters.append(parameter)
            pending = nil
            if parameters.count > limits.maxRows { exceed(parser, \.maxRows, "more parameters than") }
            return
        }
        if let element = headerElement, element == name {
            let content = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch element {
            case "symbol": symbol = content
            case "period", "timeframe": period = content
            default: cBotName = content
            }
            headerElement = nil
        }
    }
}
