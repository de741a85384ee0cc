import Foundation

/// What a breakdown groups trades by. Weekday and hour use the open time in the chosen time zone, month
/// the close time (when the profit was realised); see docs/analytics.md.
public enum BreakdownDimension: String, CaseIterable, Codable, Sendable {
    case weekday
    case hour
    case month
    case symbol
    case direction
    case holdingTime
    case exitReason

    /// Reads the raw value and the short CLI/API spellings `holding` and `exit`.
    public init?(text: String) {
        switch text.lowercased() {
        case "holding", "holdingtime", "holding_time", "holding-time": self = .holdingTime
        case "exit", "exitreason", "exit_reason", "exit-reason": self = .exitReason
        default:
            guard let value = BreakdownDimension.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() })
            else { return nil }
            self = value
        }
    }
}
