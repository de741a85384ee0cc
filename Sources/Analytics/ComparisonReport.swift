import Foundation

/// A ranked comparison, as `pipsight compare --json` and `GET /v1/compare` return it.
public struct ComparisonReport: Codable, Sendable, Hashable {
    public var rankBy: RankingMetric
    public var entries: [ComparisonEntry]

    public init(rankBy: RankingMetric, entries: [ComparisonEntry]) {
        self.rankBy = rankBy
        self.entries = Comparison.rank(entries, by: rankBy)
    }
}
