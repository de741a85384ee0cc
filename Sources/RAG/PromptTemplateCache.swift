import Foundation
import Synchronization

/// The prompt templates, parsed once and read again only when a template file changes (size or modification
/// time): they can still be edited while the server runs, without each question reading and parsing them.
public final class PromptTemplateCache: Sendable {
    private let loaded = Mutex<(directory: URL, stamp: String, templates: PromptTemplates)?>(nil)

    public init() {}

    /// The templates in `directory` and a stamp that changes whenever they do.
    public func templates(in directory: URL) throws -> (templates: PromptTemplates, stamp: String) {
        let stamp = Self.stamp(of: directory)
        if let current = loaded.withLock({ $0 }), current.directory == directory, current.stamp == stamp {
            return (current.templates, stamp)
        }
        let templates = try PromptTemplates.load(from: directory)
        loaded.withLock { $0 = (directory, stamp, templates) }
        return (templates, stamp)
    }

    /// Size and modification time of both template files.
    static func stamp(of directory: URL) -> String {
        ["system", "answer"].map { name -> String in
            let path = directory.appendingPathComponent("\(name).mustache").path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "-" }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size)@\(modified)"
        }.joined(separator: ",")
    }
}
