import Foundation
import Logging

/// The bytes of one export and the name to use in error messages.
public struct ImportInput: Sendable {
    /// Name shown in errors (`events.json`), normally the file's last path component.
    public var name: String
    public var data: Data
    /// The mapping `data` comes from, when it was read from a file; readers release pages they are done with.
    public var mapping: MappedFile?
    /// What the parser accepts at most (file size, rows, nesting…); the process's configured limits by default.
    public var limits: ImportLimits = .configured

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }

    /// Input read from a mapped file: `data` is the mapping's bytes.
    public init(name: String, mapping: MappedFile) {
        self.name = name
        self.data = mapping.data
        self.mapping = mapping
    }

    /// Tells the mapping, if any, that bytes before `pointer` will not be needed again soon.
    public func releasePages(before pointer: UnsafeRawPointer) {
        mapping?.releasePages(before: pointer)
    }
}

/// A parser for one export format. Parsers stream: they call `emit` for each record as it is read and
/// return the header at the end. A parser throws `PipsightError` naming file, line or JSON path and field.
public protocol ExportParser: Sendable {
    /// The format this parser reads.
    var format: ExportFormat { get }

    /// Reads `input`, emitting records in file order, and returns the header.
    func parse(_ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void) throws -> BacktestHeader
}

extension ExportParser {
    /// Reads the whole export into memory.
    public func parseAll(_ input: ImportInput, logger: Logger = Logger(label: "pipsight.import")) throws -> ParsedExport {
        var records: [ImportRecord] = []
        let header = try parse(input, logger: logger) { records.append($0) }
        var export = ParsedExport(header: header)
        for record in records { export.append(record) }
        return export
    }
}
