import Foundation
import PipsightCore

/// Keys, labels and order of breakdown groups, shared by the Swift and SQL computations.
public enum BreakdownKeys {
    /// The key of trades without a symbol.
    public static let noSymbol = "(none)"

    /// Holding-time buckets: upper bound in seconds (exclusive), key and label, in order.
    public static let holdingBuckets: [(upperBound: Double?, key: String, label: String)] = [
        (60, "0-1m", "under 1 minute"),
        (300, "1m-5m", "1 to 5 minutes"),
        (900, "5m-15m", "5 to 15 minutes"),
        (3600, "15m-1h", "15 minutes to 1 hour"),
        (14_400, "1h-4h", "1 to 4 hours"),
        (86_400, "4h-1d", "4 hours to 1 day"),
        (604_800, "1d-1w", "1 day to 1 week"),
        (nil, "1w+", "1 week or more"),
    ]

    /// The bucket key of a holding time.
    public static func holdingBucket(seconds: Double) -> String {
        for bucket in holdingBuckets {
            guard let bound = bucket.upperBound else { return bucket.key }
            if seconds < bound { return bucket.key }
        }
        return holdingBuckets[holdingBuckets.count - 1].key
    }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let exitOrder: [CloseReason] = [.stopLoss, .takeProfit, .manual, .unknown]

    /// A readable label for a key.
    public static func label(of key: String, dimension: BreakdownDimension) -> String {
        switch dimension {
        case .weekday:
            guard let day = Int(key), (1...7).contains(day) else { return key }
            return weekdayNames[day - 1]
        case .hour:
            return "\(key):00–\(key):59"
        case .month:
            let parts = key.split(separator: "-")
            guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return key }
            return "\(monthNames[month - 1]) \(parts[0])"
        case .symbol:
            return key
        case .direction:
            return key == TradeDirection.buy.rawValue ? "Long" : key == TradeDirection.sell.rawValue ? "Short" : key
        case .holdingTime:
            return holdingBuckets.first { $0.key == key }?.label ?? key
        case .exitReason:
            switch CloseReason(rawValue: key) {
            case .stopLoss: return "S/L"
            case .takeProfit: return "T/P"
            case .manual: return "Manual"
            case .unknown, nil: return "Unknown"
            }
        }
    }

    /// Row order: holding buckets and exit reasons in their natural order, directions long first,
    /// everything else by key.
    public static func precedes(_ lhs: String, _ rhs: String, dimension: BreakdownDimension) -> Bool {
        switch dimension {
        case .holdingTime:
            let index = { (key: String) in holdingBuckets.firstIndex { $0.key == key } ?? Int.max }
            return (index(lhs), lhs) < (index(rhs), rhs)
        case .exitReason:
            let index = { (key: String) in exitOrder.firstIndex { $0.rawValue == key } ?? Int.max }
            return (index(lhs), lhs) < (index(rhs), rhs)
        default:
            return lhs < rhs
        }
    }
}
