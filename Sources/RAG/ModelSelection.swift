import Foundation
import Logging
import PipsightCore

/// How an answer is written: by a language model through Ollama, or offline (extractive, no model).
public enum AnswerMode: String, Codable, Sendable, Hashable {
    case ollama
    case offline
}

/// The outcome of a probe: the chat model to use, or why the offline default is in force.
public struct ModelSelection: Sendable {
    public var mode: AnswerMode
    /// The chat model (Ollama mode only).
    public var chat: (any ChatModel)?
    /// Why the offline default is used (`Ollama is not reachable at …`, `model 'x' is not pulled: run …`).
    public var reason: String?
    /// Ollama's version when it answered.
    public var ollamaVersion: String?

    public static func offline(_ reason: String) -> ModelSelection {
        ModelSelection(mode: .offline, chat: nil, reason: reason, ollamaVersion: nil)
    }
}

/// Decides between Ollama and the offline default: probes Ollama with a short timeout, remembers the outcome
/// for `reprobeInterval`, then probes again, so answers switch to Ollama by themselves once it runs (and back
/// to offline when it stops). A failed chat call forces a new probe on the next question.
public actor ModelSelector {
    /// Probes once; returns the selection (never throws: failures are offline selections with a reason).
    public typealias Probe = @Sendable () async -> ModelSelection

    private let probe: Probe
    private let reprobeInterval: Duration
    private let logger: Logger
    private var last: (selection: ModelSelection, at: ContinuousClock.Instant)?

    public init(reprobeInterval: Duration = .seconds(30), logger: Logger, probe: @escaping Probe) {
        self.probe = probe
        self.reprobeInterval = reprobeInterval
        self.logger = logger
    }

    /// Always offline (no Ollama configured, `--offline`).
    public static func offlineOnly(reason: String, logger: Logger) -> ModelSelector {
        ModelSelector(reprobeInterval: .seconds(86_400 * 365), logger: logger) { .offline(reason) }
    }

    /// The current selection, probing when the last probe is older than the interval.
    public func current() async -> ModelSelection {
        let now = ContinuousClock.now
        if let last, now - last.at < reprobeInterval { return last.selection }
        let selection = await probe()
        if selection.mode != self.last?.selection.mode {
            logger.info(
                "answer mode", metadata: ["mode": "\(selection.mode.rawValue)", "reason": "\(selection.reason ?? "")"])
        }
        last = (selection, ContinuousClock.now)
        return selection
    }

    /// Forgets the last probe (after a failed chat call), so the next question probes again.
    public func invalidate() {
        last = nil
    }
}
