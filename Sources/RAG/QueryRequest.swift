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
    /// How many documents to retrieve (1–`QueryLimits.maxK`, default 8).
    public var k: Int?

    public init(question: String, backtestIds: [UUID]? = nil, from: Date? = nil, to: Date? = nil, k: Int? = nil) {
        self.question = question
        self.backtestIds = backtestIds
        self.from = from
        self.to = to
        self.k = k
    }

    public static let defaultK = 8

    /// Checks the request against `limits`; returns the trimmed question, the time range and k to use.
    public func validated(
        limits: QueryLimits = QueryLimits()
    ) throws -> (question: String, timeRange: ClosedRange<Date>?, k: Int) {
        let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw PipsightError(.badRequest, "the question is empty") }
        // PostgreSQL's full text search cannot take U+0000 (the search would fail with a database error).
        guard !text.utf8.contains(0) else {
            throw PipsightError(.badRequest, "the question contains a NUL character (U+0000)")
        }
        guard text.count <= limits.maxQuestionCharacters else {
            throw PipsightError(
                .badRequest,
                "the question is \(text.count) characters long; the limit is \(limits.maxQuestionCharacters)")
        }
        let k = k ?? min(Self.defaultK, limits.maxK)
        guard (1...max(1, limits.maxK)).contains(k) else {
            throw PipsightError(.badRequest, "k must be between 1 and \(limits.maxK), got \(k)")
        }
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
