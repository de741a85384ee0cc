import CBotGen
import Foundation
import Hummingbird
import Logging
import PipsightCore
import PostgresStore

/// `POST /v1/backtests/{id}/cbot`: the generated C#, the strategy spec and the what-if report (JSON and Markdown).
///
/// Body (JSON, every field optional): `{"template": "filter|sma|rsi", "splitDate": "2024-06-01", "spec": {…},
/// "passesFrom": uuid, "name": "My cBot"}`. With `spec`, the rules are the spec's (no detection).
struct CBotRoutes: Sendable {
    let store: BacktestStore
    let logger: Logger
    /// Largest accepted request body (a spec is a few kilobytes; `PIPSIGHT_MAX_REQUEST_BYTES`).
    var maxBodyBytes = 1 << 20

    struct Body: Decodable {
        var template: String?
        var splitDate: String?
        var spec: JSONValue?
        var passesFrom: UUID?
        var name: String?
    }

    func register(on group: RouterGroup<PipsightRequestContext>) {
        group.post("backtests/:id/cbot") { request, context -> Response in
            guard let id = context.parameters.get("id", as: UUID.self) else {
                throw PipsightError(.notFound, "no backtest with id \"\(context.parameters.get("id") ?? "")\"")
            }
            let options = try await Self.options(from: request, maxBodyBytes: maxBodyBytes)
            guard let summary = try await store.summary(id: id) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            let trades = try await store.trades(backtestID: id)
            let passes = try await store.optimisationPasses(backtestID: options.passesFrom ?? id)
            var resolved = options.options
            resolved.backtestID = id
            resolved.name = resolved.name ?? summary.cBotName
            resolved.symbol = summary.symbol
            resolved.startingBalance = summary.startingCapital
            let result = try CBotGenerator(logger: logger).generate(trades: trades, passes: passes, options: resolved)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(result))))
        }
    }

    /// Reads the optional JSON body.
    static func options(from request: Request, maxBodyBytes: Int) async throws -> (options: CBotOptions, passesFrom: UUID?) {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw PipsightError(.limitExceeded, "the cbot request body is larger than \(maxBodyBytes) bytes (PIPSIGHT_MAX_REQUEST_BYTES)")
        }
        guard buffer.readableBytes > 0 else { return (CBotOptions(), nil) }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch {
            throw PipsightError(
                .badRequest,
                "the body must be JSON {\"template\"?: \"filter|sma|rsi\", \"splitDate\"?: \"YYYY-MM-DD\", \"spec\"?: {…}, \"passesFrom\"?: uuid, \"name\"?: text}")
        }
        var options = CBotOptions()
        options.template = try body.template.map(CBotOptions.template(from:))
        options.splitDate = try body.splitDate.map(CBotOptions.splitDate(from:))
        options.name = body.name
        if let spec = body.spec {
            options.spec = try StrategySpec.decode(from: JSONEncoder().encode(spec), file: "spec")
        }
        return (options, body.passesFrom)
    }
}
