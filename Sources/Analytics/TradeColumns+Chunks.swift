import Foundation

extension TradeColumns {
    /// Appends the trades of `chunk`, the chunk that follows these columns (as `TradeColumnsBuilder.takeChunk()`
    /// cut them): both are brought to the wider money scale and the chunk's symbols are mapped onto these.
    /// The chunk's deals already carry their trade's position in the whole backtest. Returns false when a
    /// money value overflows at the wider scale or the chunk names a symbol it does not have (the columns are
    /// then unusable). Appends in place: the columns so far are copied only when their scale widens.
    public mutating func append(chunk: TradeColumns) -> Bool {
        guard count > 0 || !symbols.isEmpty || !deals.isEmpty else {
            self = chunk
            return true
        }
        let scale = max(moneyScale, chunk.moneyScale)
        guard let next = chunk.rescaled(to: scale) else { return false }
        if scale > moneyScale {
            guard let wider = rescaled(to: scale) else { return false }
            self = wider
        }
        var known: [String?: UInt32] = [:]
        for (index, name) in symbols.enumerated() where known[name] == nil { known[name] = UInt32(index) }
        var mapping: [UInt32] = []
        mapping.reserveCapacity(next.symbols.count)
        for name in next.symbols {
            if let index = known[name] {
                mapping.append(index)
            } else {
                let index = UInt32(symbols.count)
                symbols.append(name)
                known[name] = index
                mapping.append(index)
            }
        }
        guard next.symbol.allSatisfy({ Int($0) < mapping.count }) else { return false }
        openMillis += next.openMillis
        closeMillis += next.closeMillis
        net += next.net
        commissions += next.commissions
        swaps += next.swaps
        balance += next.balance
        flags += next.flags
        symbol.reserveCapacity(symbol.count + next.count)
        for index in next.symbol { symbol.append(mapping[Int(index)]) }
        deals += next.deals
        return true
    }
}
