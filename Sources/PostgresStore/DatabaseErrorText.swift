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
