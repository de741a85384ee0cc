import Foundation

/// Sharpe and Sortino ratios of daily returns, annualised with √365 (calendar days; risk-free rate and
/// target return 0). Sharpe uses the sample standard deviation (n − 1); Sortino the downside deviation
/// `sqrt(Σ min(r, 0)² / n)` over all days.
public enum DailyReturns {
    /// Days per year used to annualise.
    public static let periodsPerYear = 365.0

    /// Annualised Sharpe ratio; nil with fewer than two returns or zero deviation.
    public static func sharpe(_ returns: [Double]) -> Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return nil }
        return mean / variance.squareRoot() * periodsPerYear.squareRoot()
    }

    /// Annualised Sortino ratio; nil with fewer than two returns or no negative return.
    public static func sortino(_ returns: [Double]) -> Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let downside = returns.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(returns.count)
        guard downside > 0 else { return nil }
        return mean / downside.squareRoot() * periodsPerYear.squareRoot()
    }
}
