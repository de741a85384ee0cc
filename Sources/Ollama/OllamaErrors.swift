import PipsightCore

extension PipsightError.Code {
    /// Ollama cannot be reached (connection refused, unknown host): callers may fall back to offline mode.
    public static let ollamaUnreachable = Self("ollama_unreachable")
    /// The model is not pulled into Ollama (`ollama pull <model>`).
    public static let modelNotPulled = Self("model_not_pulled")
    /// Ollama's queue stayed full (503) through every retry.
    public static let ollamaBusy = Self("ollama_busy")
    /// Ollama did not answer in time.
    public static let ollamaTimeout = Self("ollama_timeout")
    /// Ollama answered with an error (an error body, or an error line in the middle of a stream).
    public static let ollamaError = Self("ollama_error")
    /// Ollama's answer broke the contract: undecodable, wrong count or length of vectors, a stream cut short.
    public static let ollamaBadResponse = Self("ollama_bad_response")
    /// An input is longer than the model's context window (and truncation was not asked for).
    public static let inputTooLong = Self("input_too_long")
}

/// Builds the Ollama module's errors, so each message is written once.
enum PipsightErrorFactory {
    static func configuration(_ message: String) -> PipsightError {
        PipsightError(.configuration, message)
    }

    static func unreachable(_ url: String, _ underlying: any Error) -> PipsightError {
        PipsightError(
            .ollamaUnreachable,
            "Ollama is not reachable at \(url) (\(reason(underlying))): start it with `ollama serve` or set PIPSIGHT_OLLAMA_URL")
    }

    /// A short reason for a transport error: NIO's descriptions nest their own parentheses and errno.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        for known in ["Connection refused", "Connection reset", "No route to host", "Network is unreachable", "timed out"]
        where text.localizedCaseInsensitiveContains(known) {
            return known.lowercased()
        }
        return text
    }

    static func connectionLost(_ url: String, _ underlying: any Error) -> PipsightError {
        PipsightError(.ollamaUnreachable, "the connection to Ollama at \(url) was lost (\(underlying))")
    }

    static func notPulled(_ model: String) -> PipsightError {
        PipsightError(.modelNotPulled, "model '\(model)' is not pulled: run `ollama pull \(model)`")
    }

    static func busy(_ url: String, attempts: Int) -> PipsightError {
        PipsightError(.ollamaBusy, "Ollama at \(url) is busy (503, queue full) after \(attempts) attempts: try again later")
    }

    static func timeout(_ url: String, model: String?, after duration: Duration, loading: Bool) -> PipsightError {
        let subject = model.map { "model '\($0)'" } ?? "Ollama"
        let hint = loading
            ? " while loading the model (raise PIPSIGHT_OLLAMA_LOAD_TIMEOUT for a large model)"
            : " (raise PIPSIGHT_OLLAMA_TIMEOUT for long requests)"
        return PipsightError(
            .ollamaTimeout,
            "\(subject) at \(url) did not answer within \(Int(duration.seconds.rounded())) s\(hint)")
    }

    static func answered(status: Int, model: String?, message: String) -> PipsightError {
        let subject = model.map { " for model '\($0)'" } ?? ""
        return PipsightError(.ollamaError, "Ollama answered \(status)\(subject): \(message)")
    }

    static func midStream(model: String, message: String) -> PipsightError {
        PipsightError(.ollamaError, "model '\(model)' failed in the middle of its answer: \(message)")
    }

    static func badResponse(_ message: String) -> PipsightError {
        PipsightError(.ollamaBadResponse, message)
    }

    static func tooLong(model: String?, message: String) -> PipsightError {
        let subject = model.map { "model '\($0)'" } ?? "the model"
        return PipsightError(.inputTooLong, "an input is longer than the context window of \(subject): \(message)")
    }
}
