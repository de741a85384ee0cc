import PipsightCore
import PostgresNIO

/// A readable one-line description of a PostgresNIO error (its server message, not a debug dump).
enum DatabaseErrorText {
    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return describe(inner) }
            if let inner = transaction.commitError { return describe(inner) }
            if let inner = transaction.beginError { return describe(inner) }
        }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let detail = psql.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            return "\(psql.code)"
        }
        return String(describing: error)
    }
}

/// Runs `body`, turning a database failure into a `database_error` that says what was being done;
/// a `PipsightError` (also one thrown inside a transaction) passes through unchanged.
@discardableResult
func databaseOperation<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as PipsightError {
        throw error
    } catch {
        if let inner = (error as? PostgresTransactionError)?.closureError as? PipsightError { throw inner }
        throw PipsightError(.database, "database error while \(doing): \(DatabaseErrorText.describe(error))")
    }
}
