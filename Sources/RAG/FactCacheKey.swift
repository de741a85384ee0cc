import Foundation
import PostgresStore

/// What a backtest's cached facts were computed from: its stored version, the whole analysis of the question
/// (intents, named weekdays, hours, months, trades and parameter words) and the time range. Facts are in UTC.
public struct FactCacheKey: Sendable, Hashable {
    public var version: BacktestVersion
    public var analysis: QuestionAnalysis
    public var timeRange: ClosedRange<Date>?
}
