import Foundation
import Mustache
import PipsightCore

/// The two prompt templates (`system.mustache`, `answer.mustache`), read at run time from a prompts directory
/// so that they can be edited without rebuilding.
public struct PromptTemplates: Sendable {
    /// The environment variable naming the prompts directory.
    public static let environmentKey = "PIPSIGHT_PROMPTS_DIR"

    public var system: MustacheTemplate
    public var answer: MustacheTemplate
    /// Where they were read from.
    public var directory: URL

    /// Reads `system.mustache` and `answer.mustache` from `directory`.
    public static func load(from directory: URL) throws -> PromptTemplates {
        func template(_ name: String) throws -> MustacheTemplate {
            let url = directory.appendingPathComponent("\(name).mustache")
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw PipsightError(
                    .configuration, "cannot read the prompt template \(url.path): set \(environmentKey) to the prompts directory")
            }
            do {
                return try MustacheTemplate(string: text)
            } catch {
                throw PipsightError(.configuration, "the prompt template \(url.path) is not valid Mustache: \(error)")
            }
        }
        return PromptTemplates(system: try template("system"), answer: try template("answer"), directory: directory)
    }

    /// The prompts directory: `explicit`, else `$PIPSIGHT_PROMPTS_DIR`, else `./prompts`, else the `prompts`
    /// folder of the source checkout this binary was built from.
    public static func locate(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit, isDirectory: true) }
        if let configured = environment[environmentKey], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent("prompts", isDirectory: true)
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("system.mustache").path) { return local }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("prompts", isDirectory: true)
    }
}
