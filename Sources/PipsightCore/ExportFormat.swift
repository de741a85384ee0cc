/// The cTrader export formats Pipsight reads.
public enum ExportFormat: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// `report.json` written by `ctrader-cli backtest --report-json`.
    case reportJSON = "report-json"
    /// `report.html`, carrying the report JSON in `<script id="backtesting-report">`.
    case reportHTML = "report-html"
    /// `events.json`: the Events tab of a backtest.
    case eventsJSON = "events-json"
    /// `.optres`: optimisation results (JSON).
    case optres
    /// History tab export (CSV).
    case historyCSV = "history-csv"
    /// `.cbotset`: cBot parameters (XML or JSON).
    case cbotset

    public var description: String { rawValue }
}
