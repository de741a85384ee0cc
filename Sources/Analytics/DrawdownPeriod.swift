import Foundation

/// One period below a balance peak: from the peak, to the lowest point, to the first balance back at or
/// above the peak (nil while not recovered).
public struct DrawdownPeriod: Codable, Sendable, Hashable {
    /// When the peak balance was reached (the trade's close time; the first open time for the start).
    public var start: Date
    public var trough: Date
    public var recovery: Date?
    public var peakBalance: Decimal
    public var troughBalance: Decimal
    /// `peakBalance − troughBalance`.
    public var depth: Decimal
    /// Depth over the peak in percent; nil when the peak is not positive.
    public var depthPercent: Double?

    public init(
        start: Date, trough: Date, recovery: Date?, peakBalance: Decimal, troughBalance: Decimal,
        depthPercent: Double?
    ) {
        self.start = start
        self.trough = trough
        self.recovery = recovery
        self.peakBalance = peakBalance
        self.troughBalance = troughBalance
        depth = peakBalance - troughBalance
        self.depthPercent = depthPercent
    }
}
