import Foundation
import PipsightCore

/// What Pipsight must know about an Ollama model that Ollama does not say in a usable way: one JSON file per
/// model in `models/` (see docs/ollama.md for the fields).
public struct ModelDescriptor: Codable, Sendable, Hashable {
    /// What a model is for.
    public enum Kind: String, Codable, Sendable, Hashable {
        case embedding, chat
    }

    /// The Ollama tag (`nomic-embed-text`, `llama3.2`).
    public var tag: String
    public var kind: Kind
    /// The length of the model's vectors (embedding models only).
    public var dimension: Int?
    /// The context window the model was trained for, in tokens.
    public var contextTokens: Int
    /// The `num_ctx` Pipsight asks for when a caller sets none (chat models: the whole trained window costs
    /// memory; embedding models: their whole window, since Ollama's default `num_ctx` can be shorter).
    public var defaultContextTokens: Int?
    /// Put in front of a question before embedding it (`search_query: `).
    public var queryPrefix: String
    /// Put in front of a document before embedding it (`search_document: `).
    public var documentPrefix: String
    /// A cautious estimate of characters per token, used to cut long inputs before sending them (numbers and
    /// symbols tokenise densely, so it is below the 4 usual for English prose).
    public var charactersPerToken: Double
    /// A line for people.
    public var summary: String?

    public init(tag: String, kind: Kind, dimension: Int? = nil, contextTokens: Int, defaultContextTokens: Int? = nil,
                queryPrefix: String = "", documentPrefix: String = "", charactersPerToken: Double = 2.5,
                summary: String? = nil) {
        self.tag = tag
        self.kind = kind
        self.dimension = dimension
        self.contextTokens = contextTokens
        self.defaultContextTokens = defaultContextTokens
        self.queryPrefix = queryPrefix
        self.documentPrefix = documentPrefix
        self.charactersPerToken = charactersPerToken
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case tag, kind, dimension, summary
        case contextTokens = "context_tokens"
        case defaultContextTokens = "default_context_tokens"
        case queryPrefix = "query_prefix"
        case documentPrefix = "document_prefix"
        case charactersPerToken = "characters_per_token"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tag = try container.decode(String.self, forKey: .tag)
        kind = try container.decode(Kind.self, forKey: .kind)
        dimension = try container.decodeIfPresent(Int.self, forKey: .dimension)
        contextTokens = try container.decode(Int.self, forKey: .contextTokens)
        defaultContextTokens = try container.decodeIfPresent(Int.self, forKey: .defaultContextTokens)
        queryPrefix = try container.decodeIfPresent(String.self, forKey: .queryPrefix) ?? ""
        documentPrefix = try container.decodeIfPresent(String.self, forKey: .documentPrefix) ?? ""
        charactersPerToken = try container.decodeIfPresent(Double.self, forKey: .charactersPerToken) ?? 2.5
        summary = try container.decodeIfPresent(String.self, forKey: .summary)
    }

    /// The prefix for `purpose`.
    public func prefix(for purpose: EmbeddingPurpose) -> String {
        switch purpose {
        case .query: queryPrefix
        case .document: documentPrefix
        }
    }

    /// The most characters of text (after `prefixLength` characters of prefix) that fit the context window by
    /// the cautious estimate, keeping 16 tokens for the model's special tokens.
    public func maxInputCharacters(prefixLength: Int = 0) -> Int {
        let tokens = max(1, (defaultContextTokens.map { min($0, contextTokens) } ?? contextTokens) - 16)
        return max(16, Int(Double(tokens) * charactersPerToken) - prefixLength)
    }

    /// Checks the fields a file can get wrong; the error names the file.
    public func validate(file: String) throws {
        func fail(_ message: String) -> PipsightError {
            PipsightError(.configuration, message, location: ErrorLocation(file: file))
        }
        if tag.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("the model tag is empty") }
        if contextTokens < 1 { throw fail("context_tokens must be at least 1") }
        if let defaultContextTokens, defaultContextTokens < 1 { throw fail("default_context_tokens must be at least 1") }
        if !(charactersPerToken > 0 && charactersPerToken.isFinite) { throw fail("characters_per_token must be positive") }
        if kind == .embedding, (dimension ?? 0) < 1 {
            throw fail("an embedding model needs its dimension (the length of its vectors)")
        }
    }

    /// Every `*.json` descriptor in `directory`, sorted by tag. A file that cannot be read is an error naming it.
    public static func load(from directory: URL) throws -> [ModelDescriptor] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PipsightError(.io, "cannot read the model descriptors in \(directory.path): \(error.localizedDescription)")
        }
        var descriptors: [ModelDescriptor] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            let descriptor: ModelDescriptor
            do {
                descriptor = try JSONDecoder().decode(ModelDescriptor.self, from: Data(contentsOf: url))
            } catch {
                throw PipsightError(.configuration, "not a model descriptor: \(error)", location: ErrorLocation(file: name))
            }
            try descriptor.validate(file: name)
            descriptors.append(descriptor)
        }
        return descriptors.sorted { $0.tag < $1.tag }
    }

    /// The descriptor of `tag` in `directory` (`llama3.2:latest` finds `llama3.2`), or a `configuration_error`
    /// that says which file to add.
    public static func load(tag: String, from directory: URL) throws -> ModelDescriptor {
        let descriptors = try load(from: directory)
        guard let found = descriptors.first(where: { OllamaModelInfo.canonical($0.tag) == OllamaModelInfo.canonical(tag) })
        else {
            throw PipsightError(
                .configuration,
                "no descriptor for model '\(tag)' in \(directory.path): add one (tag, kind, dimension, context_tokens; see docs/ollama.md); known: \(descriptors.map(\.tag).joined(separator: ", "))")
        }
        return found
    }
}
