import Foundation

/// Profit factor: gross profit of the winners over the gross loss of the losers, both in absolute value.
///
/// Without losers it is infinite when there are winners and undefined when there are none. JSON has no
/// infinity, so the value is carried as `Double?` (nil in both cases) plus a `profitFactorInfinite` flag.
public enum ProfitFactor {
    /// `(value, infinite)` for the given sums (`grossLoss` zero or negative).
    public static func of(grossProfit: Decimal, grossLoss: Decimal) -> (value: Double?, infinite: Bool) {
        guard grossLoss != 0 else { return (nil, grossProfit > 0) }
        return (Money.double(grossProfit) / -Money.double(grossLoss), false)
    }

    /// `1.85`, `∞` or `–`.
    public static func text(_ value: Double?, infinite: Bool) -> String {
        if infinite { return "∞" }
        guard let value else { return "–" }
        return String(format: "%.2f", value)
    }
}
