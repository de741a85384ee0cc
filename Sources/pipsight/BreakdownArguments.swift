import Analytics
import Foundation
import PipsightCore

/// Reads `--by` and `--time-zone` values.
enum BreakdownArguments {
    static func dimensions(_ values: [String]) throws -> [BreakdownDimension] {
        var result: [BreakdownDimension] = []
        for text in values.flatMap({ $0.split(separator: ",").map(String.init) }) {
            if text.lowercased() == "all" { return BreakdownDimension.allCases }
            guard let dimension = BreakdownDimension(text: text) else {
                throw PipsightError(
                    .badRequest,
                    "unknown breakdown \"\(text)\"; use weekday, hour, month, symbol, direction, holding, exit or all")
            }
            if !result.contains(dimension) { result.append(dimension) }
        }
        return result
    }

    static func timeZone(_ text: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: text) else {
            throw PipsightError(.badRequest, "unknown time zone \"\(text)\"; use an IANA name such as Europe/London or UTC")
        }
        return zone
    }
}
