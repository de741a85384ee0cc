import Foundation
import PipsightCore

/// Helpers shared by the analytics tests.
enum AnalyticsTestSupport {
    /// The real events.json beside the project (`../shared/samples/ctrader/events.json` from the package root).
    static var realEventsURL: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // …/Tests/AnalyticsTests
            .deletingLastPathComponent()  // …/Tests
            .deletingLastPathComponent()  // the package root
            .deletingLastPathComponent()  // the folder holding the package and shared/
            .appendingPathComponent("shared/samples/ctrader/events.json")
    }

    /// `2024-03-31T00:30:00Z` style text → Date.
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    /// A trade with just what the metrics read.
    static func trade(
        _ id: String, _ direction: TradeDirection = .buy, open: String, close: String, net: Decimal,
        reason: CloseReason = .manual, symbol: String = "EURUSD", deals: [Deal] = [], balance: Decimal? = nil
    ) -> Trade {
        Trade(
            positionId: id, symbol: symbol, direction: direction, openTime: date(open), closeTime: date(close),
            netProfit: net, commissions: 0, swaps: 0, balance: balance, closeReason: reason, deals: deals)
    }
}
