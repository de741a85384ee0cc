import Foundation

/// One reading of the account equity (an events.json event's `equity`), for the equity drawdown.
public struct EquitySample: Codable, Sendable, Hashable {
    public var time: Date
    public var equity: Decimal

    public init(time: Date, equity: Decimal) {
        self.time = time
        self.equity = equity
    }

    /// Largest fall of the equity below an earlier peak (the starting balance is the first peak), and that
    /// fall in percent of its peak. Samples are read in the given order. Nil without samples.
    public static func maxDrawdown(_ samples: [EquitySample], startingBalance: Decimal?) -> (amount: Decimal, percent: Double?)? {
        guard let first = samples.first else { return nil }
        var peak = startingBalance ?? first.equity
        var worst: Decimal = 0
        var worstPercent: Double? = 0
        for sample in samples {
            peak = max(peak, sample.equity)
            let fall = peak - sample.equity
            if fall > worst {
                worst = fall
                worstPercent = peak > 0 ? Money.double(fall) / Money.double(peak) * 100 : nil
            }
        }
        return (worst, worstPercent)
    }
}
