import Foundation
import PipsightCore

extension StrategySpec {
    /// Whether the spec's entry filters (weekday, hour, direction; open time in UTC) would have let `trade` open.
    public func allows(_ trade: Trade) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.weekday, .hour], from: trade.openTime)
        if let day = parts.weekday.flatMap(Weekday.init(calendarWeekday:)), blockedWeekdays.contains(where: { $0.weekday == day }) {
            return false
        }
        if let hour = parts.hour, blockedHours.contains(where: { $0.hour == hour }) { return false }
        switch direction?.allowed ?? .both {
        case .both: return true
        case .longOnly: return trade.direction == .buy
        case .shortOnly: return trade.direction == .sell
        }
    }

    /// One line per entry filter the report applies, with its evidence.
    var filterDescriptions: [String] {
        blockedWeekdays.map { "Skip \($0.weekday.name) (UTC). \($0.evidence.summary)" }
            + blockedHours.map { String(format: "Skip %02d:00-%02d:59 (UTC). ", $0.hour, $0.hour) + $0.evidence.summary }
            + (direction.map { rule in
                ["\(rule.allowed == .longOnly ? "Long positions only" : rule.allowed == .shortOnly ? "Short positions only" : "Both directions"). \(rule.evidence.summary)"]
            } ?? [])
    }

    /// Rules in the cBot that the recorded trades cannot simulate.
    var unsimulatedDescriptions: [String] {
        var lines: [String] = []
        if let stopLoss { lines.append("Stop loss \(CSharp.double(stopLoss.pips, decimals: 1)) pips. \(stopLoss.evidence.summary)") }
        if let takeProfit { lines.append("Take profit \(CSharp.double(takeProfit.pips, decimals: 1)) pips. \(takeProfit.evidence.summary)") }
        if let maxHolding { lines.append("Close after \(CSharp.double(maxHolding.hours, decimals: 1)) h. \(maxHolding.evidence.summary)") }
        if let optimisation { lines.append("Best optimisation passes. \(optimisation.evidence.summary)") }
        return lines
    }
}
