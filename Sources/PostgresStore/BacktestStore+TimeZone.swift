import Foundation
import PipsightCore
import PostgresNIO

extension BacktestStore {
    /// `timeZone`'s identifier, once PostgreSQL has said it knows it. Foundation accepts names that PostgreSQL's
    /// time zone database does not (fixed offsets such as `GMT+5`, which Foundation names `GMT+0500`, and links
    /// retired from the IANA database such as `US/Pacific-New`); a query converting to one fails with SQLSTATE
    /// 22023, which would be a `database_error` (503) for what is a bad request. One round trip; UTC needs none.
    func postgresTimeZone(_ timeZone: TimeZone) async throws -> String {
        let name = timeZone.identifier
        if name == "UTC" || name == "GMT" { return name }
        do {
            let rows = try await client.query("SELECT now() AT TIME ZONE \(name)", logger: logger)
            for try await _ in rows {}
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "22023" {
            throw PipsightError(
                .badRequest,
                "PostgreSQL does not know the time zone \"\(name)\"; use an IANA name such as Europe/London")
        } catch {
            throw PipsightError(.database, "database error while checking the time zone \(name): \(DatabaseErrorText.describe(error))")
        }
        return name
    }
}
