/// What a document describes. The raw value is stored in PostgreSQL and in the vector rows' metadata.
public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// One closed position: times, prices, pips, stop-loss/take-profit history, result.
    case trade
    /// One calendar day (UTC) of trading.
    case day
    /// All trades opened on one weekday (UTC).
    case weekday
    /// All trades opened in one hour of the day (UTC).
    case hour
    /// One calendar month (UTC).
    case month
    /// The run's statistics.
    case statistics
    /// The cBot's parameters.
    case parameters
    /// One optimisation pass.
    case pass
}
