import Foundation

/// Finds the drawdown periods of a per-trade equity curve (shared by the Swift and SQL paths).
public enum DrawdownPeriods {
    /// Periods below a peak. The first peak is the starting balance (0 when unknown) at `firstOpen`; a
    /// period ends at the first point back at or above its peak (its `recovery`), the last may stay open.
    public static func periods(of points: [EquityPoint], startingBalance: Decimal?, firstOpen: Date?) -> [DrawdownPeriod] {
        guard let firstOpen else { return [] }
        let known = startingBalance != nil
        var peak = startingBalance ?? 0
        var peakTime = firstOpen
        var trough: (time: Date, balance: Decimal)?
        var result: [DrawdownPeriod] = []
        func period(recovery: Date?) -> DrawdownPeriod? {
            guard let trough else { return nil }
            let fall = peak - trough.balance
            return DrawdownPeriod(
                start: peakTime, trough: trough.time, recovery: recovery, peakBalance: peak,
                troughBalance: trough.balance,
                depthPercent: known && peak > 0 ? Money.double(fall) / Money.double(peak) * 100 : nil)
        }
        for point in points {
            if point.balance >= peak {
                if let finished = period(recovery: point.time) { result.append(finished) }
                trough = nil
                peak = point.balance
                peakTime = point.time
            } else if let current = trough, point.balance >= current.balance {
                continue
            } else {
                trough = (point.time, point.balance)
            }
        }
        if let open = period(recovery: nil) { result.append(open) }
        return result
    }
}
