import Foundation
import PipsightCore

/// Where Ollama runs and how Pipsight talks to it. Defaults suit a local Ollama; `fromEnvironment()` reads the
/// `PIPSIGHT_OLLAMA_*` keys documented in docs/configuration.md.
public struct OllamaConfiguration: Sendable, Hashable {
    /// `http://127.0.0.1:11434`, where `ollama serve` listens by default.
    public static let defaultBaseURL = URL(string: "http://127.0.0.1:11434")!

    /// Ollama's base URL, without a trailing slash (`/api/...` is appended).
    public var baseURL: URL
    /// How long a request to an already loaded model may take until Ollama starts answering.
    public var requestTimeout: Duration
    /// How long the first request for a model may take: Ollama loads the model before it answers, which can
    /// take minutes for a large model on a cold disk.
    public var loadTimeout: Duration
    /// How long `version()` waits: a short probe that tells whether Ollama is there at all (`auto` falls back to
    /// the built-in models when it gets no answer in time).
    public var probeTimeout: Duration
    /// Retries when Ollama answers 503 (its request queue is full).
    public var retry: OllamaRetryPolicy
    /// How long Ollama keeps a model loaded after a request (`5m`, `1h`, `-1` for ever, `0` to unload);
    /// `nil` leaves Ollama's default.
    public var keepAlive: String?
    /// The embedding model's tag (`all-minilm`, the model also built in, so both give one vector space).
    public var embeddingModel: String
    /// The chat model's tag (`llama3.2`).
    public var chatModel: String
    /// How many texts one `/api/embed` request carries.
    public var embedBatchSize: Int
    /// The folder of model descriptors (`models/*.json`).
    public var modelsDirectory: URL

    public init(
        baseURL: URL = OllamaConfiguration.defaultBaseURL,
        requestTimeout: Duration = .seconds(120),
        loadTimeout: Duration = .seconds(600),
        probeTimeout: Duration = .seconds(2),
        retry: OllamaRetryPolicy = OllamaRetryPolicy(),
        keepAlive: String? = nil,
        embeddingModel: String = "all-minilm",
        chatModel: String = "llama3.2",
        embedBatchSize: Int = 32,
        modelsDirectory: URL = URL(fileURLWithPath: "models")
    ) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.loadTimeout = loadTimeout
        self.probeTimeout = probeTimeout
        self.retry = retry
        self.keepAlive = keepAlive
        self.embeddingModel = embeddingModel
        self.chatModel = chatModel
        self.embedBatchSize = embedBatchSize
        self.modelsDirectory = modelsDirectory
    }

    /// The environment keys this configuration reads.
    public enum Key {
        public static let url = "PIPSIGHT_OLLAMA_URL"
        public static let timeout = "PIPSIGHT_OLLAMA_TIMEOUT"
        public static let loadTimeout = "PIPSIGHT_OLLAMA_LOAD_TIMEOUT"
        public static let probeTimeout = "PIPSIGHT_OLLAMA_PROBE_TIMEOUT"
        public static let retries = "PIPSIGHT_OLLAMA_RETRIES"
        public static let keepAlive = "PIPSIGHT_OLLAMA_KEEP_ALIVE"
        public static let embeddingModel = "PIPSIGHT_OLLAMA_EMBED_MODEL"
        public static let chatModel = "PIPSIGHT_OLLAMA_CHAT_MODEL"
        public static let embedBatchSize = "PIPSIGHT_OLLAMA_EMBED_BATCH"
        public static let modelsDirectory = "PIPSIGHT_OLLAMA_MODELS_DIR"
    }

    /// The defaults overridden by the `PIPSIGHT_OLLAMA_*` keys set in `environment`; an unusable value is a
    /// `configuration_error` naming the key.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> OllamaConfiguration {
        var configuration = OllamaConfiguration()
        func value(_ key: String) -> String? {
            guard let text = environment[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        if let text = value(Key.url) { configuration.baseURL = try parseBaseURL(text) }
        if let text = value(Key.timeout) { configuration.requestTimeout = try parseSeconds(text, key: Key.timeout) }
        if let text = value(Key.loadTimeout) { configuration.loadTimeout = try parseSeconds(text, key: Key.loadTimeout) }
        if let text = value(Key.probeTimeout) {
            configuration.probeTimeout = try parseSeconds(text, key: Key.probeTimeout)
        }
        if let text = value(Key.retries) {
            configuration.retry.maxAttempts = try parseCount(text, key: Key.retries)
        }
        if let text = value(Key.keepAlive) { configuration.keepAlive = text }
        if let text = value(Key.embeddingModel) { configuration.embeddingModel = text }
        if let text = value(Key.chatModel) { configuration.chatModel = text }
        if let text = value(Key.embedBatchSize) {
            configuration.embedBatchSize = try parseCount(text, key: Key.embedBatchSize)
        }
        if let text = value(Key.modelsDirectory) { configuration.modelsDirectory = URL(fileURLWithPath: text) }
        return configuration
    }

    /// Parses `http(s)://host[:port][/prefix]`, dropping a trailing slash.
    public static func parseBaseURL(_ text: String) throws -> URL {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw PipsightErrorFactory.configuration(
                "\(Key.url) must be an http(s) URL such as \(defaultBaseURL.absoluteString), got \"\(text)\"")
        }
        return url
    }

    private static func parseSeconds(_ text: String, key: String) throws -> Duration {
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
            throw PipsightErrorFactory.configuration("\(key) must be a positive number of seconds, got \"\(text)\"")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func parseCount(_ text: String, key: String) throws -> Int {
        guard let count = Int(text), count >= 1 else {
            throw PipsightErrorFactory.configuration("\(key) must be a whole number of at least 1, got \"\(text)\"")
        }
        return count
    }

    /// The URL of an API path such as `/api/embed`.
    func url(_ path: String) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
