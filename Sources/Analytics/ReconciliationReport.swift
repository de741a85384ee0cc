import Foundation

/// The outcome of a reconciliation: every check, and those beyond rounding.
public struct ReconciliationReport: Codable, Sendable, Hashable {
    /// How many figures were compared.
    public var checked: Int
    /// The checks that did not match (empty when everything agrees); of the exported balances, the first 100.
    public var differences: [ReconciliationCheck]
    /// How many checks did not match, those not listed included.
    public var differing: Int
    /// When this outcome was first stored (`reconciliations.checked_at`); nil when it was not stored.
    public var checkedAt: Date?

    public init(checks: [ReconciliationCheck]) {
        checked = checks.count
        differences = checks.filter { !$0.matches }
        differing = differences.count
    }

    /// A report from a count and the differences found (when the matching checks were not materialised);
    /// `differing` defaults to the differences listed.
    public init(checked: Int, differences: [ReconciliationCheck], differing: Int? = nil, checkedAt: Date? = nil) {
        self.checked = checked
        self.differences = differences
        self.differing = differing ?? differences.count
        self.checkedAt = checkedAt
    }

    /// Both reports together.
    public func merged(with other: ReconciliationReport) -> ReconciliationReport {
        ReconciliationReport(
            checked: checked + other.checked, differences: differences + other.differences,
            differing: differing + other.differing)
    }

    /// True when no check differs beyond rounding.
    public var isConsistent: Bool { differences.isEmpty }
}
