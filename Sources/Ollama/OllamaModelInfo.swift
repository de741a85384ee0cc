/// One model Ollama has pulled, as `GET /api/tags` lists it.
public struct OllamaModelInfo: Sendable, Hashable, Decodable {
    /// Details Ollama reports about the weights.
    public struct Details: Sendable, Hashable, Decodable {
        public var format: String?
        public var family: String?
        public var parameterSize: String?
        public var quantizationLevel: String?

        enum CodingKeys: String, CodingKey {
            case format, family
            case parameterSize = "parameter_size"
            case quantizationLevel = "quantization_level"
        }
    }

    /// `nomic-embed-text:latest`.
    public var name: String
    public var model: String?
    /// Bytes on disk.
    public var size: Int64?
    public var digest: String?
    public var details: Details?

    public init(name: String, model: String? = nil, size: Int64? = nil, digest: String? = nil, details: Details? = nil) {
        self.name = name
        self.model = model
        self.size = size
        self.digest = digest
        self.details = details
    }

    /// Whether this entry is `tag` (`llama3.2` matches `llama3.2:latest`).
    public func matches(_ tag: String) -> Bool {
        OllamaModelInfo.canonical(name) == OllamaModelInfo.canonical(tag)
            || model.map { OllamaModelInfo.canonical($0) == OllamaModelInfo.canonical(tag) } ?? false
    }

    /// `name:latest` for a tag without a version.
    static func canonical(_ tag: String) -> String {
        let lastComponent = tag.split(separator: "/").last.map(String.init) ?? tag
        return lastComponent.contains(":") ? tag : tag + ":latest"
    }
}
