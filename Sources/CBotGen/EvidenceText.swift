import Foundation

/// Plain-ASCII number formatting for evidence sentences, comments and reports (invariant: `1234.56`, `-0.61`).
enum EvidenceText {
    static func money(_ value: Decimal) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return String(format: "%.2f", rounded.double)
    }

    static func signedMoney(_ value: Decimal) -> String {
        (value > 0 ? "+" : "") + money(value)
    }

    static func factor(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value.isFinite ? String(format: "%.2f", value) : "no losses"
    }

    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
    }

    static func pValue(_ value: Double) -> String {
        value < 0.0001 ? String(format: "%.1e", value) : String(format: "%.4f", value)
    }

    static func number(_ value: Double, decimals: Int = 1) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
