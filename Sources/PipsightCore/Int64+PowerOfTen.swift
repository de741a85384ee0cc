extension Int64 {
    /// `self × 10^power` for a `power` of 0 or more; nil when the product does not fit 64 bits. Scaled money
    /// (`ScaledAmount`, `ExactSum`) is brought to a common scale with it.
    @inlinable
    public func multipliedByPowerOfTen(_ power: Int) -> Int64? {
        // 10^19 no longer fits: only zero survives a power that large.
        guard power < 19 else { return self == 0 ? 0 : nil }
        var result = self
        for _ in 0..<Swift.max(0, power) {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}
