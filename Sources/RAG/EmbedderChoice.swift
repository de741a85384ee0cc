import Foundation
import MiniLM
import PipsightCore

/// Which embedding model retrieval uses, as configured by `PIPSIGHT_EMBEDDER`:
/// - `auto` (the default): Ollama's embedding model (`PIPSIGHT_OLLAMA_EMBED_MODEL`) when Ollama answers and has
///   it pulled, else the built-in all-minilm; only when the built-in model's files are absent, the hashing
///   embedder, with a notice saying to run scripts/setup;
/// - `builtin:all-minilm`: always the built-in model; missing files are an error (run scripts/setup);
/// - `ollama:<model>`: always that Ollama model; Ollama down or the model not pulled is an error.
public enum EmbedderChoice: Sendable, Hashable, CustomStringConvertible {
    case auto
    case builtin
    case ollama(model: String)

    /// The environment variable.
    public static let environmentKey = "PIPSIGHT_EMBEDDER"

    /// Parses `auto`, `builtin:all-minilm` (or `builtin`) and `ollama:<model>`; anything else is a
    /// `configuration_error` naming the variable.
    public init(parsing text: String) throws {
        let value = text.trimmingCharacters(in: .whitespaces)
        switch value.lowercased() {
        case "", "auto": self = .auto
        case "builtin", MiniLMEmbeddingModel.configurationName: self = .builtin
        default:
            if value.lowercased().hasPrefix("ollama:") {
                let model = String(value.dropFirst("ollama:".count)).trimmingCharacters(in: .whitespaces)
                if !model.isEmpty {
                    self = .ollama(model: model)
                    return
                }
            }
            throw PipsightError(
                .configuration,
                "\(Self.environmentKey) must be auto, \(MiniLMEmbeddingModel.configurationName) or ollama:<model>, not '\(text)'",
                location: ErrorLocation(field: Self.environmentKey))
        }
    }

    /// The choice in `environment` (`auto` when unset).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EmbedderChoice {
        try EmbedderChoice(parsing: environment[environmentKey] ?? "auto")
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .builtin: MiniLMEmbeddingModel.configurationName
        case .ollama(let model): "ollama:\(model)"
        }
    }
}
