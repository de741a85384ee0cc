/// Proleptic Gregorian dates from day counts, in integer arithmetic (Howard Hinnant's `civil_from_days`), for
/// the hot paths that format or group millions of timestamps without `Calendar`.
public enum CivilDate {
    /// Year, month (1–12) and day (1–31) of a count of days since 1970-01-01.
    @inlinable
    public static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
