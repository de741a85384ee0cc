import Foundation
import Mustache
import PipsightCore

extension PipsightError.Code {
    /// The C# templates are missing or broken (an installation problem, not the user's input).
    public static let templateError = PipsightError.Code("template_error")
}

/// Renders a `StrategySpec` as C# source with the Mustache templates bundled as resources
/// (`Templates/filter.mustache`, `sma.mustache`, `rsi.mustache` and their partials).
public struct CBotRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads the bundled templates.
    public init() throws {
        library = try Self.loadLibrary()
    }

    /// The C# source of the cBot `spec` describes (the spec is validated first).
    public func render(_ spec: StrategySpec) throws -> String {
        try spec.validate()
        let model = CBotRenderModel(spec: spec)
        guard let source = library.render(model, withTemplate: spec.template.rawValue) else {
            throw PipsightError(.templateError, "the \(spec.template.rawValue) template is missing from the bundle")
        }
        return source
    }

    /// The template names (file names without `.mustache`) found in the bundle.
    public static func templateNames() throws -> [String] {
        try templateFiles().map { $0.deletingPathExtension().lastPathComponent }.sorted()
    }

    private static func templateFiles() throws -> [URL] {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw PipsightError(.templateError, "the C# templates are not in the Pipsight bundle")
        }
        do {
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "mustache" }
        } catch {
            throw PipsightError(.templateError, "cannot list the C# templates: \(error.localizedDescription)")
        }
    }

    private static func loadLibrary() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for file in try templateFiles() {
            let name = file.deletingPathExtension().lastPathComponent
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                try library.register(text, named: name)
            } catch {
                throw PipsightError(.templateError, "template \(name).mustache cannot be read: \(error)")
            }
        }
        return library
    }
}
