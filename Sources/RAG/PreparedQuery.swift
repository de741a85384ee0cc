import Foundation
import PostgresStore

/// A question checked and looked up in the answer cache (`QueryService.prepare`): a replayable answer, or what
/// computing it is keyed on.
public struct PreparedQuery: Sendable {
    let started: ContinuousClock.Instant
    let question: String
    let backtestIDs: [UUID]
    let timeRange: ClosedRange<Date>?
    let k: Int
    /// The versions of the backtests in scope (nil without caches).
    let versions: [BacktestVersion]?
    let indexGeneration: Int?
    let embeddingModel: String
    let selection: ModelSelection
    /// The parsed prompt templates when the model writes the answer (nil: read when generating).
    let templates: PromptTemplates?
    /// Where the answer is kept once computed (nil: not kept).
    var answerKey: AnswerCacheKey?
    /// The cached answer to replay.
    var hit: CachedAnswer?

    /// True when answering will call the language model: the model is selected and the answer is not cached.
    public var needsModel: Bool { hit == nil && selection.chat != nil }
}
