import Foundation

/// The outcome of a reconciliation: every check, and those beyond rounding.
public struct ReconciliationReport: Codable, Sendable, Hashable {
    /// How many figures were compared.
    public var checked: Int
    /// The checks that did not match (empty when everything agrees).
    public var differences: [ReconciliationCheck]

    public init(checks: [ReconciliationCheck]) {
        checked = checks.count
        differences = checks.filter { !$0.matches }
    }

    /// A report from a count and the differences found (when the matching checks were not materialised).
    public init(checked: Int, differences: [ReconciliationCheck]) {
        self.checked = checked
        self.differences = differences
    }

    /// Both reports together.
    public func merged(with other: ReconciliationReport) -> ReconciliationReport {
        ReconciliationReport(checked: checked + other.checked, differences: differences + other.differences)
    }

    /// True when no check differs beyond rounding.
    public var isConsistent: Bool { differences.isEmpty }
}
