import ArgumentParser
import Foundation
import PipsightCore
import PostgresStore

/// Turns a full id or a unique prefix into a backtest id.
enum BacktestIDArgument {
    static func resolve(_ text: String, in store: BacktestStore) async throws -> UUID {
        if let id = UUID(uuidString: text) { return id }
        let prefix = text.lowercased()
        let matches = try await store.list().map(\.id).filter { $0.uuidString.lowercased().hasPrefix(prefix) }
        guard !prefix.isEmpty, let first = matches.first else {
            throw PipsightError(.notFound, "no backtest with an id starting \"\(text)\"; see `pipsight backtests`")
        }
        guard matches.count == 1 else {
            throw PipsightError(.badRequest, "\"\(text)\" matches \(matches.count) backtests; give more of the id")
        }
        return first
    }
}

extension Terminal {
    /// `run` for synchronous work (argument checks).
    static func runSync<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PipsightError {
            Terminal.error("error: \(error) [\(error.code)]")
            throw ExitCode(1)
        }
    }
}
