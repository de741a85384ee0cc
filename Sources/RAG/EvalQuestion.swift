import Foundation

/// One question of the evaluation set with what a correct answer contains.
public struct EvalQuestion: Codable, Sendable, Hashable {
    public var id: String
    public var question: String
    /// `best_weekday`, `why_trade`, … (for the per-category table).
    public var category: String
    /// The backtest the question is about.
    public var backtestID: UUID
    /// For numeric questions: the fact that must come back.
    public var expected: Expected?
    /// Documents that hold the answer; recall@5 counts how many of them are retrieved in the top 5.
    public var neededDocumentIDs: [String]

    /// What the fact of a numeric question must say.
    public struct Expected: Codable, Sendable, Hashable {
        public var intent: QuestionIntent
        /// The machine key (weekday name, hour `22`, month, position id, parameter value, pass id).
        public var key: String?
        /// The amount (money, count), exact.
        public var amount: Decimal?
        /// Period start and end, compared to the minute.
        public var start: Date?
        public var end: Date?
        /// Text a correct written answer contains (`Friday`, `310.20`).
        public var mention: String

        public init(
            intent: QuestionIntent, key: String? = nil, amount: Decimal? = nil, start: Date? = nil, end: Date? = nil,
            mention: String
        ) {
            self.intent = intent
            self.key = key
            self.amount = amount
            self.start = start
            self.end = end
            self.mention = mention
        }
    }

    public init(
        id: String, question: String, category: String, backtestID: UUID, expected: Expected?,
        neededDocumentIDs: [String]
    ) {
        self.id = id
        self.question = question
        self.category = category
        self.backtestID = backtestID
        self.expected = expected
        self.neededDocumentIDs = neededDocumentIDs
    }
}
