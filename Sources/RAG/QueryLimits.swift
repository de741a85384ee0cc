/// Bounds on a question: its length and how many documents may be retrieved for it. The server reads them from
/// `PIPSIGHT_MAX_QUESTION_CHARS` and `PIPSIGHT_MAX_K`.
public struct QueryLimits: Sendable, Hashable {
    /// Longest accepted question, in characters (after trimming white space).
    public var maxQuestionCharacters: Int
    /// Largest accepted `k`.
    public var maxK: Int

    public init(maxQuestionCharacters: Int = 2_000, maxK: Int = 50) {
        self.maxQuestionCharacters = maxQuestionCharacters
        self.maxK = maxK
    }
}
