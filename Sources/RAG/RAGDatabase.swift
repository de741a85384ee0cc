import PipsightCore
import PostgresNIO

/// Runs a database step, turning a PostgresNIO failure into a `database_error` that says what was being done.
enum RAGDatabase {
    @discardableResult
    static func run<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PipsightError {
            throw error
        } catch {
            if let inner = (error as? PostgresTransactionError)?.closureError as? PipsightError { throw inner }
            throw PipsightError(.database, "database error while \(doing): \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return describe(inner) }
            if let inner = transaction.commitError { return describe(inner) }
            if let inner = transaction.beginError { return describe(inner) }
        }
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] { return message }
        return String(describing: error)
    }
}
