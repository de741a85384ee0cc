import Foundation

/// One figure checked against the export's own value.
public struct ReconciliationCheck: Codable, Sendable, Hashable {
    /// Where the reported value sits, e.g. `tradeStatistics.netProfit.all` or `trades[12].balance`.
    public var metric: String
    /// The export's value; nil when it reports null (a profit factor without losers).
    public var reported: Double?
    /// Pipsight's value; nil when undefined (a profit factor without losers).
    public var computed: Double?
    /// `computed − reported`; nil when either is nil.
    public var difference: Double?
    /// The largest difference counted as rounding.
    public var tolerance: Double
    /// True when both are nil or they differ by at most `tolerance`.
    public var matches: Bool

    public init(metric: String, reported: Double?, computed: Double?, tolerance: Double) {
        self.metric = metric
        self.reported = reported
        self.computed = computed
        self.tolerance = tolerance
        difference = reported.flatMap { reported in computed.map { $0 - reported } }
        switch (reported, computed) {
        case (nil, nil): matches = true
        case (let reported?, let computed?): matches = abs(reported - computed) <= tolerance + 1e-9 * max(1, abs(reported))
        default: matches = false
        }
    }
}
