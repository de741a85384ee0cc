import Foundation
import PipsightCore

/// Builds the documents of one backtest: one per trade, per day, per weekday, per hour, per month, one for the
/// statistics, one for the parameters and one per optimisation pass. Pure: the same content gives the same
/// documents (ids, titles and texts), which makes re-indexing idempotent. All times are UTC.
public struct DocumentBuilder: Sendable {
    public init() {}

    /// Every document of `content`, trades first.
    public func documents(for content: BacktestContent) -> [RAGDocument] {
        let trades = content.trades.sorted { ($0.closeTime, $0.openTime, $0.positionId) < ($1.closeTime, $1.openTime, $1.positionId) }
        let currency = content.header.depositAsset ?? ""
        let history = StopLossHistory(events: content.events)
        var result: [RAGDocument] = []
        result.reserveCapacity(trades.count + 64)
        for trade in trades {
            result.append(tradeDocument(trade, backtestID: content.id, currency: currency, history: history))
        }
        result += groupDocuments(trades: trades, backtestID: content.id, currency: currency)
        if let statistics = statisticsDocument(content: content, trades: trades) { result.append(statistics) }
        if let parameters = parametersDocument(content: content, span: Self.span(of: trades, header: content.header)) {
            result.append(parameters)
        }
        result += passDocuments(content: content, span: Self.span(of: trades, header: content.header))
        return result
    }

    /// The run's time span: first open to last close, else the header's testing period.
    static func span(of trades: [Trade], header: BacktestHeader) -> (Date?, Date?) {
        let start = trades.map(\.openTime).min() ?? header.testingStart
        let end = trades.map(\.closeTime).max() ?? header.testingEnd
        return (start, end)
    }

    /// A short description of the run used in several documents: `EURUSD h1, Sample Trend cBot`.
    static func runLabel(_ content: BacktestContent) -> String {
        var parts: [String] = []
        if let symbol = content.header.symbol ?? content.trades.first?.symbol { parts.append(symbol) }
        if let period = content.header.period { parts.append(period) }
        var label = parts.joined(separator: " ")
        if let bot = content.header.cBotName { label += label.isEmpty ? bot : ", \(bot)" }
        return label.isEmpty ? content.sourceName : label
    }
}

/// Stop-loss and take-profit changes per position, from `events.json`.
struct StopLossHistory: Sendable {
    struct Change: Hashable {
        var time: Date
        var stopLoss: Decimal?
        var takeProfit: Decimal?
    }

    private var changes: [String: [Change]] = [:]

    init(events: [PositionEvent]) {
        for event in events {
            guard let position = event.positionId, event.kind == .positionModified || event.kind.opensPosition,
                  event.stopLoss != nil || event.takeProfit != nil else { continue }
            changes[position, default: []].append(Change(time: event.time, stopLoss: event.stopLoss,
                                                         takeProfit: event.takeProfit))
        }
    }

    func changes(of positionId: String) -> [Change] { changes[positionId] ?? [] }
}
