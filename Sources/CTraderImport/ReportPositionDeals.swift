import Foundation
import PipsightCore

/// The history items of one position in a backtest report, assembled into its `Trade`.
struct ReportPositionDeals {
    var positionKey: String
    var items: [ReportHistoryItem]

    /// One trade: identity, direction and open side from the items (first value present), the
    /// closing side summed over the deals (see ``ClosingDeals``). Deals without their own id are
    /// named after the position (`"17"`, or `"17-1"`, `"17-2"` for a partial close).
    func trade() throws -> Trade {
        guard let first = items.first else {
            throw PipsightError(.invalidValue, "position \(positionKey) has no history items")
        }
        guard let direction = items.lazy.compactMap(\.direction).first else {
            throw PipsightError(
                .missingField, "missing field \"\(first.keyForDirection)\" (buy or sell)",
                location: ErrorLocation(
                    file: first.file, line: first.line,
                    path: JSONFieldReader.join(first.path, first.keyForDirection), field: first.keyForDirection
                )
            )
        }
        guard let openTime = items.compactMap(\.entryTime).min() else {
            throw PipsightError(
                .missingField, "missing field \"\(first.keyForEntryTime)\"",
                location: ErrorLocation(
                    file: first.file, line: first.line,
                    path: JSONFieldReader.join(first.path, first.keyForEntryTime), field: first.keyForEntryTime
                )
            )
        }
        let deals = items.enumerated().map { offset, item in
            item.deal(fallbackId: items.count == 1 ? positionKey : "\(positionKey)-\(offset + 1)")
        }
        var extra: [String: JSONValue] = [:]
        for item in items { extra.merge(item.extra) { current, _ in current } }
        var trade = Trade(
            positionId: positionKey,
            symbol: items.lazy.compactMap(\.symbol).first,
            label: items.lazy.compactMap(\.label).first,
            direction: direction,
            openTime: openTime,
            closeTime: first.closeTime,
            entryPrice: items.lazy.compactMap(\.entryPrice).first,
            extra: extra
        )
        ClosingDeals.apply(deals, to: &trade, summingVolume: true)
        return trade
    }
}
