import Foundation
import PipsightCore

/// Reads typed values from environment variables; a value that does not parse is a `configuration_error`.
struct EnvironmentReader {
    let environment: [String: String]

    func text(_ key: String) -> String? {
        guard let text = environment[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = text(key) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
            throw PipsightError(
                .configuration, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    func number(_ key: String, allowZero: Bool) throws -> Double? {
        guard let text = text(key) else { return nil }
        guard let value = Double(text), value.isFinite, allowZero ? value >= 0 : value > 0 else {
            throw PipsightError(
                .configuration, "\(key) must be a \(allowZero ? "non-negative" : "positive") number, got \"\(text)\"")
        }
        return value
    }

    func boolean(_ key: String) throws -> Bool? {
        guard let text = text(key) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw PipsightError(.configuration, "\(key) must be true or false, got \"\(text)\"")
        }
    }
}
