import Foundation
import Logging
import PipsightCore
import PostgresNIO
import PostgresStore

/// Reads one stored backtest back as `BacktestContent` (the input of `DocumentBuilder`).
public struct BacktestContentReader: Sendable {
    public let store: BacktestStore

    public init(store: BacktestStore) {
        self.store = store
    }

    /// The content of backtest `id`, or nil when it is not stored.
    public func content(of id: UUID) async throws -> BacktestContent? {
        guard let detail = try await store.detail(id: id) else { return nil }
        let summary = detail.summary
        let header = BacktestHeader(
            format: ExportFormat(rawValue: summary.format) ?? .reportJSON, symbol: summary.symbol,
            period: summary.period, cBotName: summary.cBotName, depositAsset: summary.depositAsset,
            startingCapital: summary.startingCapital, testingStart: summary.testingStart, testingEnd: summary.testingEnd)
        let trades = try await store.trades(backtestID: id)
        let passes = try await store.optimisationPasses(backtestID: id)
        let events = try await stopLossEvents(of: id)
        return BacktestContent(id: id, sourceName: summary.sourceName, header: header, trades: trades, events: events,
                               parameters: detail.parameters, passes: passes)
    }

    /// The events that carry a stop loss or take profit (the S/L and T/P history), in file order.
    func stopLossEvents(of id: UUID) async throws -> [PositionEvent] {
        let client = store.client, logger = store.logger
        return try await RAGDatabase.run("reading the events of backtest \(id)") {
            let rows = try await client.query(
                """
                SELECT serial, position_id, name, time, stop_loss, take_profit FROM events
                WHERE backtest_id = \(id) AND position_id IS NOT NULL
                  AND (stop_loss IS NOT NULL OR take_profit IS NOT NULL)
                ORDER BY seq
                """, logger: logger)
            var events: [PositionEvent] = []
            for try await (serial, position, name, time, stop, target) in rows.decode(
                (Int64, String?, String, Date, Decimal?, Decimal?).self
            ) {
                events.append(PositionEvent(serial: serial, positionId: position, name: name, time: time,
                                            takeProfit: target, stopLoss: stop))
            }
            return events
        }
    }
}
