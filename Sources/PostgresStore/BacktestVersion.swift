import Foundation

/// Which stored state of a backtest something was computed from: its id, when it was stored and the
/// PostgreSQL row version (`xmin`) of its `backtests` row. A stored backtest's trades, deals and passes never
/// change (new bytes are a new backtest with a new id), and whatever rewrites what was derived from it (its
/// documents) updates the row in the same transaction, so the version changes exactly when cached results
/// about the backtest may be out of date; a deleted backtest has no version at all.
public struct BacktestVersion: Sendable, Hashable, Codable {
    public var id: UUID
    public var createdAt: Date
    /// The transaction id that last wrote the `backtests` row (`xmin`), as text.
    public var rowVersion: String

    public init(id: UUID, createdAt: Date, rowVersion: String) {
        self.id = id
        self.createdAt = createdAt
        self.rowVersion = rowVersion
    }
}
