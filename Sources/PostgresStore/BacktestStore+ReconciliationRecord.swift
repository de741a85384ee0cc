import Analytics
import Foundation
import PipsightCore
import PostgresNIO

/// The stored outcome of reconciling a backtest's statistics with the export's own (`reconciliations`,
/// `reconciliation_differences`, migration 6). It is written by the first statistics report of a backtest,
/// not at ingest: the reconciliation needs the full statistics, which an ingest does not otherwise compute,
/// and backtests never change once stored, so the first report is the record. Summary and differences are
/// written in one transaction, so a reader sees all of an outcome or none. A later report that finds
/// another outcome (a newer Pipsight computing a figure differently) replaces it, with a new `checked_at`.
extension BacktestStore {
    /// The stored outcome of `backtestID`, nil when none is stored yet.
    public func storedReconciliation(backtestID: UUID) async throws -> ReconciliationReport? {
        try await database("reading the reconciliation of backtest \(backtestID)") {
            var summary: (checked: Int, differing: Int, at: Date)?
            let rows = try await client.query(
                "SELECT checked, differing, checked_at FROM reconciliations WHERE backtest_id = \(backtestID)",
                logger: logger)
            for try await row in rows.decode((Int, Int, Date).self) { summary = row }
            guard let summary else { return nil }
            var differences: [ReconciliationCheck] = []
            let listed = try await client.query(
                """
                SELECT metric, reported, computed, tolerance FROM reconciliation_differences
                WHERE backtest_id = \(backtestID) ORDER BY seq
                """, logger: logger)
            for try await (metric, reported, computed, tolerance) in listed.decode((String, Double?, Double?, Double).self) {
                differences.append(ReconciliationCheck(metric: metric, reported: reported, computed: computed, tolerance: tolerance))
            }
            return ReconciliationReport(
                checked: summary.checked, differences: differences, differing: summary.differing, checkedAt: summary.at)
        }
    }

    /// Stores `report` unless the same outcome is stored already; returns it with its `checkedAt`.
    func recordReconciliation(backtestID: UUID, _ report: ReconciliationReport) async throws -> ReconciliationReport {
        if let stored = try await storedReconciliation(backtestID: backtestID), Self.sameOutcome(stored, report) {
            return stored
        }
        let logger = self.logger
        let checkedAt = try await database("storing the reconciliation of backtest \(backtestID)") {
            try await client.withTransaction(logger: logger) { connection -> Date in
                // The upsert takes the row lock first, so two first reports at once store one outcome.
                var at = Date()
                let rows = try await connection.query(
                    """
                    INSERT INTO reconciliations (backtest_id, checked, differing) VALUES (\(backtestID), \(report.checked), \(report.differing))
                    ON CONFLICT (backtest_id) DO UPDATE SET checked = EXCLUDED.checked, differing = EXCLUDED.differing,
                        checked_at = now()
                    RETURNING checked_at
                    """, logger: logger)
                for try await stamp in rows.decode(Date.self) { at = stamp }
                try await connection.query(
                    "DELETE FROM reconciliation_differences WHERE backtest_id = \(backtestID)", logger: logger)
                guard !report.differences.isEmpty else { return at }
                let differences = report.differences
                let seqs = Array(differences.indices)
                let metrics = differences.map(\.metric)
                // nil (a profit factor without losers) travels as NaN, arrays of optionals having no encoding.
                let reported = differences.map { $0.reported ?? .nan }
                let computed = differences.map { $0.computed ?? .nan }
                let gaps = differences.map { check in check.reported.flatMap { r in check.computed.map { $0 - r } } ?? .nan }
                let tolerances = differences.map(\.tolerance)
                try await connection.query(
                    """
                    INSERT INTO reconciliation_differences
                        (backtest_id, seq, metric, reported, computed, difference, tolerance, checked_at)
                    SELECT \(backtestID), u.seq, u.metric, NULLIF(u.reported, 'NaN'), NULLIF(u.computed, 'NaN'),
                           NULLIF(u.difference, 'NaN'), u.tolerance, \(at)
                    FROM unnest(\(seqs)::integer[], \(metrics)::text[], \(reported)::float8[], \(computed)::float8[],
                                \(gaps)::float8[], \(tolerances)::float8[]) AS u(seq, metric, reported, computed, difference, tolerance)
                    """, logger: logger)
                return at
            }
        }
        var stored = report
        stored.checkedAt = checkedAt
        return stored
    }

    /// Same counts and the same listed differences (values compared exactly: they round-trip through float8).
    static func sameOutcome(_ lhs: ReconciliationReport, _ rhs: ReconciliationReport) -> Bool {
        lhs.checked == rhs.checked && lhs.differing == rhs.differing && lhs.differences.count == rhs.differences.count
            && zip(lhs.differences, rhs.differences).allSatisfy {
                $0.metric == $1.metric && $0.reported == $1.reported && $0.computed == $1.computed
                    && $0.tolerance == $1.tolerance
            }
    }
}
