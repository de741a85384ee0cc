import Foundation
import PipsightCore

/// Everything documents are built from: one stored backtest's header, trades, events, parameters and passes.
public struct BacktestContent: Sendable, Hashable {
    public var id: UUID
    /// The source file name (`report.json`, …).
    public var sourceName: String
    public var header: BacktestHeader
    /// Closed positions, in close-time order.
    public var trades: [Trade]
    /// `events.json` rows (the stop-loss / take-profit history), in file order.
    public var events: [PositionEvent]
    public var parameters: [Parameter]
    public var passes: [OptimisationPass]

    public init(id: UUID, sourceName: String, header: BacktestHeader, trades: [Trade] = [],
                events: [PositionEvent] = [], parameters: [Parameter] = [], passes: [OptimisationPass] = []) {
        self.id = id
        self.sourceName = sourceName
        self.header = header
        self.trades = trades
        self.events = events
        self.parameters = parameters
        self.passes = passes
    }
}
