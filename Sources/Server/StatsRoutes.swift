import Analytics
import Foundation
import Hummingbird
import PipsightCore
import PostgresStore

/// `GET /v1/backtests/{id}/stats?by=weekday,hour&timeZone=Europe/London`, `GET /v1/backtests/{id}/equity`
/// `GET /v1/backtests/{id}/heatmap?timeZone=…` (net profit by weekday × hour) and `GET /v1/compare?ids=…&rankBy=…`.
struct StatsRoutes: Sendable {
    let store: BacktestStore

    func register(on group: RouterGroup<PipsightRequestContext>) {
        registerCompare(on: group)
        group.get("backtests/:id/stats") { request, context -> StatisticsReport in
            let id = try Self.backtestID(context)
            let dimensions = try Self.dimensions(request.uri.queryParameters.get("by"))
            let zone = try Self.timeZone(request.uri.queryParameters.get("timeZone") ?? request.uri.queryParameters.get("tz"))
            guard let report = try await store.statisticsReport(backtestID: id, breakdowns: dimensions, timeZone: zone) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            return report
        }
        group.get("backtests/:id/heatmap") { request, context -> WeekdayHourHeatmap in
            let id = try Self.backtestID(context)
            let zone = try Self.timeZone(request.uri.queryParameters.get("timeZone") ?? request.uri.queryParameters.get("tz"))
            guard let heatmap = try await store.weekdayHourHeatmap(backtestID: id, timeZone: zone) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            return heatmap
        }
        group.get("backtests/:id/equity") { request, context -> EquityCurve in
            let id = try Self.backtestID(context)
            guard var curve = try await store.equityCurve(backtestID: id) else {
                throw PipsightError(.notFound, "no backtest with id \(id)")
            }
            if request.uri.queryParameters.get("points") == "false" { curve.points = [] }
            return curve
        }
    }

    /// `GET /v1/compare?ids=ID,ID&rankBy=fitness`.
    func registerCompare(on group: RouterGroup<PipsightRequestContext>) {
        group.get("compare") { request, _ -> ComparisonReport in
            let text = request.uri.queryParameters.get("rankBy") ?? RankingMetric.fitness.rawValue
            guard let metric = RankingMetric(rawValue: text) else {
                throw PipsightError(
                    .badRequest,
                    "unknown metric \"\(text)\"; use one of \(RankingMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let parts = (request.uri.queryParameters.get("ids") ?? "").split(separator: ",").map(String.init)
            var ids: [UUID] = []
            for part in parts {
                guard let id = UUID(uuidString: part) else {
                    throw PipsightError(.badRequest, "\"\(part)\" is not a backtest id")
                }
                ids.append(id)
            }
            guard !ids.isEmpty else { throw PipsightError(.badRequest, "give the backtests to compare: ?ids=ID,ID") }
            return ComparisonReport(rankBy: metric, entries: try await store.comparisonEntries(backtestIDs: ids))
        }
    }

    static func backtestID(_ context: PipsightRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id", as: UUID.self) else {
            throw PipsightError(.notFound, "no backtest with id \"\(context.parameters.get("id") ?? "")\"")
        }
        return id
    }

    /// `by` as a comma-separated list of dimensions (`holding` and `exit` accepted), or `all`.
    static func dimensions(_ text: String?) throws -> [BreakdownDimension] {
        guard let text, !text.isEmpty else { return [] }
        var result: [BreakdownDimension] = []
        for part in text.split(separator: ",").map(String.init) {
            if part == "all" { return BreakdownDimension.allCases }
            guard let dimension = BreakdownDimension(text: part) else {
                throw PipsightError(
                    .badRequest,
                    "unknown breakdown \"\(part)\"; use \(BreakdownDimension.allCases.map(\.rawValue).joined(separator: ", ")) or all")
            }
            if !result.contains(dimension) { result.append(dimension) }
        }
        return result
    }

    static func timeZone(_ text: String?) throws -> TimeZone {
        guard let text else { return TimeZone(identifier: "UTC") ?? .gmt }
        guard let zone = TimeZone(identifier: text) else {
            throw PipsightError(.badRequest, "unknown time zone \"\(text)\"; use an IANA name such as Europe/London")
        }
        return zone
    }
}

extension StatisticsReport: ResponseEncodable {}
extension EquityCurve: ResponseEncodable {}
extension WeekdayHourHeatmap: ResponseEncodable {}
extension ComparisonReport: ResponseEncodable {}
