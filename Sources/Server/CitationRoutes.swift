import Foundation
import Hummingbird
import PipsightCore
import PostgresStore

/// What the citations of an answer point to: `GET /v1/backtests/{id}/trades` (all trades in close order, a page
/// of them, or those with given position ids) and `GET /v1/documents?id=…` (one question-index document).
struct CitationRoutes: Sendable {
    let store: BacktestStore
    /// Most trades one request returns.
    static let maxLimit = 1000

    struct TradesResponse: ResponseEncodable {
        /// Trades in the backtest (before any filter).
        var total: Int
        var trades: [Trade]
    }

    func register(on group: RouterGroup<PipsightRequestContext>) {
        group.get("backtests/:id/trades") { request, context -> TradesResponse in
            let id = try StatsRoutes.backtestID(context)
            let parameters = request.uri.queryParameters
            let limit = try Self.integer(parameters.get("limit"), name: "limit", default: 100, range: 1...Self.maxLimit)
            let offset = try Self.integer(parameters.get("offset"), name: "offset", default: 0, range: 0...Int.max)
            guard try await store.summary(id: id) != nil else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            let all = try await store.trades(backtestID: id)
            if let text = parameters.get("positionIds"), !text.isEmpty {
                let wanted = Set(text.split(separator: ",").map(String.init))
                return TradesResponse(total: all.count, trades: Array(all.filter { wanted.contains($0.positionId) }.prefix(limit)))
            }
            return TradesResponse(total: all.count, trades: Array(all.dropFirst(offset).prefix(limit)))
        }
        group.get("documents") { request, _ -> StoredDocument in
            guard let id = request.uri.queryParameters.get("id"), !id.isEmpty else {
                throw PipsightError(.badRequest, "give the document: ?id=<backtest uuid>/<kind>/<key>")
            }
            guard let document = try await store.document(id: id) else {
                throw PipsightError(.notFound, "no document with id \"\(id)\" (is the backtest indexed?)")
            }
            return document
        }
    }

    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw PipsightError(.badRequest, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound == Int.max ? "up" : String(range.upperBound))")
        }
        return number
    }
}

extension StoredDocument: ResponseEncodable {}
