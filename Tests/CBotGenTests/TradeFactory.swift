import Foundation
import Logging
import PipsightCore
import PipsightTesting

/// Builds trades whose weekday, hour and result the tests know by construction (no calendar arithmetic of the
/// code under test is involved): day 0 is Monday 2024-01-01 UTC.
enum TradeFactory {
    static let monday = Date(timeIntervalSince1970: 1_704_067_200)
    static let logger: Logger = {
        var logger = Logger(label: "pipsight.tests.cbot")
        logger.logLevel = .error
        return logger
    }()

    /// Weekday index of `day` (0 = Monday … 6 = Sunday).
    static func weekdayIndex(day: Int) -> Int { day % 7 }

    static func trade(
        id: Int, day: Int, hour: Int, minute: Int = 5, net: Decimal, direction: TradeDirection = .buy,
        holdingSeconds: Double = 3600
    ) -> Trade {
        let open = monday.addingTimeInterval(Double(day * 86_400 + hour * 3600 + minute * 60))
        return Trade(
            positionId: String(id), symbol: "EURUSD", label: "Test", direction: direction, openTime: open,
            closeTime: open.addingTimeInterval(holdingSeconds), volume: 10_000, netProfit: net)
    }

    /// `count` trades with uniform random days (Monday–Friday), hours and directions; each wins with
    /// `winProbability(weekdayIndex, hour, direction)`, +20…80 on a win and -20…80 on a loss (whole cents).
    static func random(
        count: Int, seed: UInt64, weekdays: Int = 5,
        winProbability: (Int, Int, TradeDirection) -> Double = { _, _, _ in 0.5 }
    ) -> [Trade] {
        var rng = SplitMix64(seed: seed)
        var trades: [Trade] = []
        for id in 0..<count {
            let week = rng.int(below: 100)
            let weekday = rng.int(below: weekdays)
            let hour = rng.int(below: 24)
            let direction: TradeDirection = rng.chance(0.5) ? .buy : .sell
            let wins = rng.chance(winProbability(weekday, hour, direction))
            let cents = Int64(rng.int(in: 2_000...8_000))
            let net = Decimal(wins ? cents : -cents) / 100
            trades.append(trade(id: id, day: week * 7 + weekday, hour: hour, net: net, direction: direction))
        }
        return trades
    }

    static func sum(_ trades: [Trade]) -> Decimal { trades.reduce(0) { $0 + ($1.netProfit ?? 0) } }
}

/// The template names, spelled in the tests independently of the code's enum.
enum CBotTemplateName: String, CaseIterable {
    case filter, sma, rsi
}
