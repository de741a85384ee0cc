import PipsightCore

extension ImportLimits {
    /// Throws when the limits could not be configured, or when `input` is larger than ``maxFileBytes``.
    /// Every parser calls this first, so no byte of an oversized file is read.
    func checkFile(_ input: ImportInput) throws {
        if let configurationError { throw configurationError }
        if input.data.count > maxFileBytes {
            throw exceeded(
                \.maxFileBytes, "the file has \(input.data.count) bytes, more than",
                location: ErrorLocation(file: input.name))
        }
    }

    /// A `limit_exceeded` error: `"<what> <limit> (limit PIPSIGHT_IMPORT_…)"` at `location`.
    func exceeded(_ keyPath: WritableKeyPath<ImportLimits, Int>, _ what: String, location: ErrorLocation) -> PipsightError {
        PipsightError(
            .limitExceeded, "\(what) \(self[keyPath: keyPath]) (limit \(Self.variable(for: keyPath)))",
            location: location)
    }

    /// Throws when `count` records exceed ``maxRows``.
    func checkRows(_ count: Int, _ what: String, location: @autoclosure () -> ErrorLocation) throws {
        guard count > maxRows else { return }
        throw exceeded(\.maxRows, "more \(what) than", location: location())
    }
}
