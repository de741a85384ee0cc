import Analytics
import Foundation

/// Plain-text rendering of statistics, breakdowns, drawdown periods and comparisons.
enum StatsTable {
    static func render(_ report: StatisticsReport, order: [BreakdownDimension]) -> String {
        let s = report.statistics
        var lines: [String] = ["Backtest \(report.backtestID.uuidString.lowercased())", ""]
        let sides = [s.all, s.long, s.short]
        let rows: [(String, (DirectionStatistics) -> String)] = [
            ("Trades", { String($0.tradeCount) }),
            ("Winners", { String($0.winningTrades) }),
            ("Losers", { String($0.losingTrades) }),
            ("Win rate", { percent($0.winRate.map { $0 * 100 }) }),
            ("Net profit", { money($0.netProfit) }),
            ("Gross profit", { money($0.grossProfit) }),
            ("Gross loss", { money($0.grossLoss) }),
            ("Commissions", { money($0.commissions) }),
            ("Swaps", { money($0.swaps) }),
            ("Profit factor", { $0.profitFactorText }),
            ("Average win", { money($0.averageWin) }),
            ("Average loss", { money($0.averageLoss) }),
            ("Largest win", { money($0.largestWin) }),
            ("Largest loss", { money($0.largestLoss) }),
            ("Average trade", { money($0.averageTrade) }),
            ("Max consecutive wins", { String($0.maxConsecutiveWins) }),
            ("Max consecutive losses", { String($0.maxConsecutiveLosses) }),
            ("Average holding", { duration($0.averageHoldingSeconds) }),
        ]
        lines.append(table([["", "All", "Long", "Short"]] + rows.map { row in [row.0] + sides.map(row.1) }, rightAligned: true))
        lines.append("")
        let account: [[String]] = [
            ["Starting balance", money(s.startingBalance)],
            ["Ending balance", money(s.endingBalance)],
            ["Max balance drawdown", "\(money(s.maxBalanceDrawdown)) (\(percent(s.maxBalanceDrawdownPercent)))"],
            ["Max equity drawdown", s.maxEquityDrawdown.map { "\(money($0)) (\(percent(s.maxEquityDrawdownPercent)))" } ?? "– (no equity in this export)"],
            ["Recovery factor", ratio(s.recoveryFactor)],
            ["Sharpe ratio (daily, ×√365)", ratio(s.sharpeRatio)],
            ["Sortino ratio (daily, ×√365)", ratio(s.sortinoRatio)],
            ["Days", String(s.dayCount)],
            ["Exposure", "\(duration(s.exposureSeconds)) (\(percent(s.exposureFraction.map { $0 * 100 })) of the time)"],
        ]
        lines.append(table(account, rightAligned: false))
        lines.append("")
        lines.append(render(reconciliation: report.reconciliation))
        for dimension in order {
            guard let rows = report.breakdowns[dimension.rawValue] else { continue }
            lines.append("")
            lines.append(render(rows, dimension: dimension, timeZone: report.timeZone))
        }
        return lines.joined(separator: "\n")
    }

    static func render(reconciliation: ReconciliationReport) -> String {
        guard reconciliation.checked > 0 else {
            return "Reconciliation: the export carries no figures of its own to check against."
        }
        let stored = reconciliation.checkedAt.map { " Stored \($0.formatted(.iso8601))." } ?? ""
        guard !reconciliation.isConsistent else {
            return "Reconciliation: \(reconciliation.checked) figures checked against the export: all agree within rounding."
                + stored
        }
        let listed = reconciliation.differing > reconciliation.differences.count
            ? " (the first \(reconciliation.differences.count) listed)" : ""
        var lines = [
            "Reconciliation: \(reconciliation.differing) of \(reconciliation.checked) figures differ beyond rounding\(listed):"
        ]
        for check in reconciliation.differences {
            let reported = check.reported.map { String(format: "%.4f", $0) } ?? "null"
            let computed = check.computed.map { String(format: "%.4f", $0) } ?? "none"
            let difference = check.difference.map { String(format: "%+.4f", $0) } ?? "–"
            lines.append(
                "  \(check.metric): export \(reported), Pipsight \(computed), difference \(difference) (tolerance \(check.tolerance))")
        }
        if !stored.isEmpty { lines.append(String(stored.dropFirst())) }
        return lines.joined(separator: "\n")
    }

    static func render(_ rows: [BreakdownRow], dimension: BreakdownDimension, timeZone: String) -> String {
        let zoned: Set<BreakdownDimension> = [.weekday, .hour, .month]
        let title = "By \(dimension.rawValue)" + (zoned.contains(dimension) ? " (\(timeZone))" : "")
        guard !rows.isEmpty else { return "\(title): no trades" }
        let body = rows.map { row in
            [row.label, String(row.tradeCount), money(row.netProfit), percent(row.winRate.map { $0 * 100 }), row.profitFactorText]
        }
        return title + "\n" + table([["", "Trades", "Net", "Win rate", "Profit factor"]] + body, rightAligned: true)
    }

    static func render(drawdowns: [DrawdownPeriod]) -> String {
        guard !drawdowns.isEmpty else { return "Drawdown periods: none" }
        let deepest = drawdowns.sorted { $0.depth > $1.depth }.prefix(10)
        let body = deepest.map { period in
            [date(period.start), date(period.trough), period.recovery.map(date) ?? "not recovered",
             money(period.depth), percent(period.depthPercent)]
        }
        return "Drawdown periods (deepest \(deepest.count) of \(drawdowns.count))\n"
            + table([["Start", "Trough", "Recovery", "Depth", "%"]] + body, rightAligned: false)
    }

    static func table(_ rows: [[String]], rightAligned: Bool) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return rightAligned && index > 0 ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }

    static func money(_ value: Decimal?) -> String {
        guard let value else { return "–" }
        let text = "\(value.rounded(2))"
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }

    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.2f %%", value)
    }

    static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.2f", value)
    }

    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "–" }
        let total = Int(seconds.rounded())
        if total >= 86_400 { return "\(total / 86_400)d \((total % 86_400) / 3600)h" }
        if total >= 3600 { return "\(total / 3600)h \((total % 3600) / 60)m" }
        return "\(total / 60)m \(total % 60)s"
    }

    static func date(_ value: Date) -> String {
        value.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().time(includingFractionalSeconds: false))
    }
}
