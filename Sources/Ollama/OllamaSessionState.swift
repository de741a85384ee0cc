import Synchronization

/// What one `OllamaClient` (and its copies) has learnt: which models have answered, so that only the first
/// request for a model (which makes Ollama load it) gets the long load timeout; and whether Ollama answered at
/// all since the last connection failure, so that an absent Ollama is reported after a short probe instead of
/// after the HTTP client has retried connecting for the whole request timeout.
final class OllamaSessionState: Sendable {
    private let warm = Mutex<Set<String>>([])
    private let reachable = Mutex(false)

    func isWarm(_ model: String) -> Bool {
        warm.withLock { $0.contains(OllamaModelInfo.canonical(model)) }
    }

    func markWarm(_ model: String) {
        _ = warm.withLock { $0.insert(OllamaModelInfo.canonical(model)) }
    }

    var isReachable: Bool { reachable.withLock { $0 } }

    func setReachable(_ value: Bool) {
        reachable.withLock { $0 = value }
    }
}
