/// What the deterministic `QuestionAnalyser` read in a question.
public struct QuestionAnalysis: Codable, Sendable, Hashable {
    /// The question as asked.
    public var question: String
    /// Numeric intents, in a stable order; empty for a purely narrative question.
    public var intents: [QuestionIntent]
    /// Weekdays the question names (`"Friday"`), in calendar order.
    public var weekdays: [String]
    /// Months the question names (1–12).
    public var months: [Int]
    /// Hours of the day the question names (0–23), from `22:00`, `10am`, `hour 22`.
    public var hours: [Int]
    /// Position ids the question names (`trade 42`, `position #42`).
    public var tradeReferences: [String] = []
    /// Calendar days the question names (`2024-03-05`).
    public var days: [String] = []
    /// Years the question names (with `months`, they name month documents such as `2024-03`).
    public var years: [Int] = []
    /// Words that may name a cBot parameter (matched against the passes' parameter names later).
    public var parameterHints: [String]
    /// A "why"/"explain" question: the answer lies in specific trades, so retrieval matters more than numbers.
    public var isExplanatory: Bool

    public init(
        question: String = "", intents: [QuestionIntent] = [], weekdays: [String] = [], months: [Int] = [], hours: [Int] = [],
        parameterHints: [String] = [], isExplanatory: Bool = false
    ) {
        self.question = question
        self.intents = intents
        self.weekdays = weekdays
        self.months = months
        self.hours = hours
        self.parameterHints = parameterHints
        self.isExplanatory = isExplanatory
    }
}
