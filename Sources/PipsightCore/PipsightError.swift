/// Where in the input an error was found: file, line (1-based), JSON path or column, field.
public struct ErrorLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var path: String?
    public var field: String?

    public init(file: String? = nil, line: Int? = nil, path: String? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.path = path
        self.field = field
    }

    /// `events.json: line 12: [412].time` style text; empty parts are left out.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let path, !path.isEmpty { parts.append(path) }
        else if let field { parts.append(field) }
        return parts.joined(separator: ": ")
    }

    /// A copy with the file name set (parsers often learn it last).
    public func inFile(_ name: String) -> ErrorLocation {
        var copy = self
        copy.file = name
        return copy
    }
}

/// The one public error type of Pipsight: a stable code, a message a trader understands, and where it happened.
public struct PipsightError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error code (`malformed_json`, `wrong_type`, …).
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The input is not valid JSON (syntax).
        public static let malformedJSON = Code("malformed_json")
        /// A value has the wrong JSON type or cannot be read as the expected kind of value.
        public static let wrongType = Code("wrong_type")
        /// A required field is absent.
        public static let missingField = Code("missing_field")
        /// A value has the right type but an impossible content (negative volume, close before open…).
        public static let invalidValue = Code("invalid_value")
        /// The file is empty.
        public static let emptyInput = Code("empty_input")
        /// The content matches no known cTrader export format.
        public static let unknownFormat = Code("unknown_format")
        /// The text encoding cannot be decoded.
        public static let badEncoding = Code("bad_encoding")
        /// A CSV row or header cannot be read.
        public static let malformedCSV = Code("malformed_csv")
        /// XML that cannot be read.
        public static let malformedXML = Code("malformed_xml")
        /// A configured limit was exceeded.
        public static let limitExceeded = Code("limit_exceeded")
        /// A file cannot be read.
        public static let io = Code("io_error")
        /// The database refused or failed.
        public static let database = Code("database_error")
        /// Something asked for does not exist.
        public static let notFound = Code("not_found")
        /// A request is invalid.
        public static let badRequest = Code("bad_request")
        /// Configuration is invalid.
        public static let configuration = Code("configuration_error")
    }

    public var code: Code
    public var message: String
    public var location: ErrorLocation?

    public init(_ code: Code, _ message: String, location: ErrorLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `events.json: [412].time: expected epoch milliseconds, got "abc"`.
    public var description: String {
        if let location, !location.description.isEmpty {
            return "\(location): \(message)"
        }
        return message
    }

    /// A copy whose location names the file.
    public func inFile(_ name: String) -> PipsightError {
        var copy = self
        copy.location = (location ?? ErrorLocation()).inFile(name)
        return copy
    }
}
