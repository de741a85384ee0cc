import Foundation

/// Small `Decimal` helpers shared by the analytics code.
enum Money {
    /// The nearest `Double`.
    static func double(_ value: Decimal) -> Double {
        NSDecimalNumber(decimal: value).doubleValue
    }

    /// `value / count`, rounded to 10 decimal places (so Swift and PostgreSQL agree); nil for a zero count.
    static func mean(_ value: Decimal, _ count: Int) -> Decimal? {
        guard count > 0 else { return nil }
        return round(value / Decimal(count), scale: 10)
    }

    /// Rounds half away from zero (PostgreSQL's `round(numeric, scale)`).
    static func round(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }
}
