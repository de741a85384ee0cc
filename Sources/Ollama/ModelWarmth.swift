import Synchronization

/// The models this process has seen answer, so that only the first request for a model (which makes Ollama
/// load it) gets the long load timeout.
final class ModelWarmth: Sendable {
    private let warm = Mutex<Set<String>>([])

    func isWarm(_ model: String) -> Bool {
        warm.withLock { $0.contains(OllamaModelInfo.canonical(model)) }
    }

    func markWarm(_ model: String) {
        _ = warm.withLock { $0.insert(OllamaModelInfo.canonical(model)) }
    }
}
