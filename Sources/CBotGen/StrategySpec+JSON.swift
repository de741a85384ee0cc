import Foundation
import PipsightCore

extension PipsightError.Code {
    /// A strategy spec that cannot be read or whose rules are impossible (hour 25, negative pips, wrong version).
    public static let invalidSpec = PipsightError.Code("invalid_spec")
}

extension StrategySpec {
    /// Pretty, key-sorted JSON with ISO 8601 dates: stable output a trader can diff and edit.
    public func jsonData() throws -> Data {
        try Self.encoder.encode(self)
    }

    /// Reads a spec written by `jsonData()` (or by hand) and checks it; `file` names the input in errors.
    public static func decode(from data: Data, file: String? = nil) throws -> StrategySpec {
        struct VersionProbe: Decodable { var version: Int? }
        let location = ErrorLocation(file: file)
        let probe: VersionProbe
        do {
            probe = try JSONDecoder().decode(VersionProbe.self, from: data)
        } catch {
            throw PipsightError(.invalidSpec, "the strategy spec is not a JSON object: \(error.localizedDescription)", location: location)
        }
        guard probe.version == currentVersion else {
            let found = probe.version.map(String.init) ?? "none"
            throw PipsightError(
                .invalidSpec, "strategy spec version \(found) is not supported; this Pipsight reads version \(currentVersion)",
                location: ErrorLocation(file: file, path: "version"))
        }
        let spec: StrategySpec
        do {
            spec = try decoder.decode(StrategySpec.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw PipsightError(.invalidSpec, "missing \"\(key.stringValue)\"", location: ErrorLocation(file: file, path: path(context.codingPath)))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw PipsightError(.invalidSpec, context.debugDescription, location: ErrorLocation(file: file, path: path(context.codingPath)))
        } catch {
            throw PipsightError(.invalidSpec, "the strategy spec cannot be read: \(error)", location: location)
        }
        try spec.validate(file: file)
        return spec
    }

    /// Throws `invalid_spec` for a rule that cannot be turned into a working cBot.
    public func validate(file: String? = nil) throws {
        func fail(_ path: String, _ message: String) -> PipsightError {
            PipsightError(.invalidSpec, message, location: ErrorLocation(file: file, path: path))
        }
        guard version == Self.currentVersion else { throw fail("version", "strategy spec version \(version) is not supported") }
        guard timeZone == "UTC" else { throw fail("timeZone", "only UTC is supported (the cBot runs with TimeZones.UTC), got \"\(timeZone)\"") }
        guard volumeInUnits.isFinite, volumeInUnits > 0 else { throw fail("volumeInUnits", "the volume must be above 0") }
        guard maxOpenPositions >= 1 else { throw fail("maxOpenPositions", "at least one open position must be allowed") }
        for (index, rule) in blockedHours.enumerated() where !(0...23).contains(rule.hour) {
            throw fail("blockedHours[\(index)].hour", "an hour is 0 to 23, got \(rule.hour)")
        }
        for (name, rule) in [("stopLoss", stopLoss), ("takeProfit", takeProfit)] {
            guard let rule else { continue }
            let values = [rule.pips, rule.minimum, rule.maximum, rule.step]
            guard values.allSatisfy({ $0.isFinite }), rule.pips > 0, rule.step > 0, rule.minimum <= rule.pips, rule.pips <= rule.maximum else {
                throw fail(name, "pips must be above 0 and within minimum…maximum, with a step above 0")
            }
        }
        if let maxHolding, !(maxHolding.hours.isFinite && maxHolding.hours > 0) {
            throw fail("maxHolding.hours", "the holding limit must be above 0 hours")
        }
        guard entry.fastPeriods >= 1, entry.slowPeriods > entry.fastPeriods else {
            throw fail("entry", "the slow period must be longer than the fast period (both at least 1)")
        }
        guard entry.rsiPeriods >= 2, entry.oversold >= 0, entry.oversold < entry.overbought, entry.overbought <= 100 else {
            throw fail("entry", "RSI needs at least 2 periods and 0 ≤ oversold < overbought ≤ 100")
        }
        for (index, parameter) in (optimisation?.parameters ?? []).enumerated() {
            let numeric = [parameter.value, parameter.minimum, parameter.maximum, parameter.step].compactMap { $0 }
            switch parameter.kind {
            case .int where !numeric.allSatisfy({ Int($0) != nil }),
                .double where !numeric.allSatisfy({ Double($0)?.isFinite == true }):
                throw fail("optimisation.parameters[\(index)]", "\"\(parameter.name)\" is \(parameter.kind.rawValue) but has a value that is not")
            case .bool where Bool(parameter.value.lowercased()) == nil:
                throw fail("optimisation.parameters[\(index)].value", "\"\(parameter.name)\" is bool but its value is \"\(parameter.value)\"")
            default: break
            }
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
