import Foundation
import PipsightCore

/// A question about the stored backtests (`POST /v1/query`, `pipsight ask`).
public struct QueryRequest: Codable, Sendable, Hashable {
    public var question: String
    /// Only these backtests; nil or empty: every stored backtest.
    public var backtestIds: [UUID]?
    /// Only trades and documents from this time on.
    public var from: Date?
    /// Only trades and documents up to this time.
    public var to: Date?
    /// How many documents to retrieve (1–50, default 8).
    public var k: Int?

    public init(question: String, backtestIds: [UUID]? = nil, from: Date? = nil, to: Date? = nil, k: Int? = nil) {
        self.question = question
        self.backtestIds = backtestIds
        self.from = from
        self.to = to
        self.k = k
    }

    /// Longest accepted question, in characters.
    public static let maxQuestionLength = 2_000
    public static let defaultK = 8

    /// Checks the request; returns the time range and k to use.
    public func validated() throws -> (question: String, timeRange: ClosedRange<Date>?, k: Int) {
        let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw PipsightError(.badRequest, "the question is empty") }
        guard text.count <= Self.maxQuestionLength else {
            throw PipsightError(.badRequest, "the question is longer than \(Self.maxQuestionLength) characters")
        }
        let k = k ?? Self.defaultK
        guard (1...50).contains(k) else { throw PipsightError(.badRequest, "k must be between 1 and 50, got \(k)") }
        var range: ClosedRange<Date>?
        if from != nil || to != nil {
            let lower = from ?? .distantPast
            let upper = to ?? .distantFuture
            guard lower <= upper else { throw PipsightError(.badRequest, "from must not be after to") }
            range = lower...upper
        }
        return (text, range, k)
    }
}
