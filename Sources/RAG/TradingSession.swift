/// The forex trading session of an hour of the day (UTC), by the main centres' usual hours.
///
/// | UTC hours | session |
/// | --- | --- |
/// | 21:00–06:59 | Asia (Sydney and Tokyo) |
/// | 07:00–11:59 | London |
/// | 12:00–15:59 | London and New York overlap |
/// | 16:00–20:59 | New York |
public enum TradingSession: String, Sendable, Hashable, CaseIterable {
    case asia = "Asia"
    case london = "London"
    case londonNewYork = "London and New York overlap"
    case newYork = "New York"

    /// The session of an hour 0…23 (UTC).
    public init(utcHour hour: Int) {
        switch hour {
        case 7..<12: self = .london
        case 12..<16: self = .londonNewYork
        case 16..<21: self = .newYork
        default: self = .asia
        }
    }
}
