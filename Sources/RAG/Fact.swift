import Foundation

/// One number (or ranking) computed from the stored trades or optimisation passes, never from retrieved text:
/// the part of an answer a trader can check. `source` names the query it came from.
public struct Fact: Codable, Sendable, Hashable {
    /// Short id used in prompts and citations (`F1`, `F2`, …).
    public var id: String
    /// What was asked for, in the analyser's words.
    public var intent: QuestionIntent
    /// The backtest the fact is about.
    public var backtestID: UUID
    /// A short human label: `Worst weekday (net profit by open weekday, UTC)`.
    public var label: String
    /// The answer as text: `Friday`, `-1234.56`, `2024-03-04 10:00 UTC → 2024-03-19 15:30 UTC`.
    public var value: String
    /// A machine-comparable key of the answer: the weekday name, the hour `22`, the month `2024-03`, the symbol,
    /// the position id of a trade, the best parameter value or pass id; nil for plain numbers.
    public var key: String?
    /// The number behind `value` where there is one (net profit of the best weekday, the loss, the streak length).
    public var amount: Decimal?
    /// Details worth saying next to the value (`net -2,140.12 over 58 trades`).
    public var detail: String?
    /// The query the value came from (`BacktestStore.breakdown(by: weekday)`, `BacktestStore.trades`).
    public var source: String
    /// Start of the period the fact is about (the drawdown's peak, the streak's first close).
    public var startTime: Date?
    /// End of that period (the drawdown's trough, the streak's last close).
    public var endTime: Date?
    /// Position ids of the trades the fact is about (the largest loss, the drawdown's trades), for citations.
    public var tradeIDs: [String]

    public init(
        id: String, intent: QuestionIntent, backtestID: UUID, label: String, value: String, key: String? = nil,
        amount: Decimal? = nil, detail: String? = nil, startTime: Date? = nil, endTime: Date? = nil, source: String,
        tradeIDs: [String] = []
    ) {
        self.key = key
        self.startTime = startTime
        self.endTime = endTime
        self.id = id
        self.intent = intent
        self.backtestID = backtestID
        self.label = label
        self.value = value
        self.amount = amount
        self.detail = detail
        self.source = source
        self.tradeIDs = tradeIDs
    }

    /// `Worst weekday: Friday (net -2,140.12 over 58 trades)`.
    public var sentence: String {
        if let detail, !detail.isEmpty { return "\(label): \(value) (\(detail))" }
        return "\(label): \(value)"
    }
}
