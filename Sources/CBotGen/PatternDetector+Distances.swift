import Foundation
import PipsightCore

extension PatternDetector {
    /// Fewest measurements a stop-loss, take-profit or holding rule is derived from.
    static let minimumMeasurements = 10

    /// The pip size of the trades: the median of |close − entry| / |pips| over trades that moved at least a pip,
    /// rounded to a power of ten; without such trades, 0.01 for JPY pairs and 0.0001 otherwise.
    public static func pipSize(of trades: [Trade], symbol: String?) -> Double {
        let ratios = trades.compactMap { trade -> Double? in
            guard let entry = trade.entryPrice, let close = trade.closePrice, let pips = trade.pips, abs(pips.double) >= 1 else {
                return nil
            }
            return abs((close - entry).double) / abs(pips.double)
        }.filter { $0 > 0 && $0.isFinite }
        if let median = Self.quantile(ratios, 0.5) {
            return pow(10, (log10(median)).rounded())
        }
        return (symbol ?? "").uppercased().contains("JPY") ? 0.01 : 0.0001
    }

    /// Stop-loss distance: the median initial stop distance where positions had one, else the median loss in pips
    /// of the losing trades.
    /// "18.0 pips (quartiles 11.2-27.1)": the median and quartiles of distances in pips, for the evidence text.
    static func medianText(_ values: [Double]) -> String {
        let median = EvidenceText.number(quantile(values, 0.5) ?? 0)
        return "\(median) pips (quartiles \(EvidenceText.number(quantile(values, 0.25) ?? 0))-\(EvidenceText.number(quantile(values, 0.75) ?? 0)))"
    }

    func stopLossRule(_ trades: [Trade], pipSize: Double) -> DistanceRule? {
        let distances = trades.compactMap { trade -> Double? in
            guard let entry = trade.entryPrice, let stop = trade.initialStopLoss else { return nil }
            return abs((entry - stop).double) / pipSize
        }.filter { $0 > 0 }
        if distances.count >= Self.minimumMeasurements {
            let moved = trades.filter { $0.initialStopLoss != nil && $0.finalStopLoss != nil && $0.finalStopLoss != $0.initialStopLoss }.count
            let stoppedOut = trades.filter { $0.closeReason == .stopLoss }
            let stoppedNet = TradeSample(stoppedOut).netProfit
            let summary =
                "median initial stop-loss distance of \(distances.count) positions: \(Self.medianText(distances)); "
                + "\(moved) positions moved their stop before closing; \(stoppedOut.count) closed at their stop, net \(EvidenceText.money(stoppedNet))."
            return distanceRule(distances, summary: summary)
        }
        let losses = trades.compactMap { trade -> Double? in
            guard trade.pipsightNet < 0, let pips = trade.pips, pips < 0 else { return nil }
            return abs(pips.double)
        }
        guard losses.count >= Self.minimumMeasurements else { return nil }
        let summary =
            "no stop-loss history in the export; median loss of \(losses.count) losing trades: "
            + "\(Self.medianText(losses))."
        return distanceRule(losses, summary: summary)
    }

    /// Take-profit distance: the median initial take-profit distance where positions had one, else the median gain
    /// in pips of the winning trades.
    func takeProfitRule(_ trades: [Trade], pipSize: Double) -> DistanceRule? {
        let distances = trades.compactMap { trade -> Double? in
            guard let entry = trade.entryPrice, let target = trade.initialTakeProfit else { return nil }
            return abs((target - entry).double) / pipSize
        }.filter { $0 > 0 }
        if distances.count >= Self.minimumMeasurements {
            let reached = trades.filter { $0.closeReason == .takeProfit }.count
            let summary =
                "median initial take-profit distance of \(distances.count) positions: \(Self.medianText(distances)); "
                + "\(reached) of \(trades.count) positions reached it."
            return distanceRule(distances, summary: summary)
        }
        let gains = trades.compactMap { trade -> Double? in
            guard trade.pipsightNet > 0, let pips = trade.pips, pips > 0 else { return nil }
            return pips.double
        }
        guard gains.count >= Self.minimumMeasurements else { return nil }
        let summary =
            "no take-profit history in the export; median gain of \(gains.count) winning trades: "
            + "\(Self.medianText(gains))."
        return distanceRule(gains, summary: summary)
    }

    private func distanceRule(_ values: [Double], summary: String) -> DistanceRule? {
        guard let median = Self.quantile(values, 0.5), median > 0 else { return nil }
        let step = median >= 20 ? 1.0 : 0.5
        let pips = max(step, (median / step).rounded() * step)
        let minimum = max(step, ((Self.quantile(values, 0.1) ?? pips / 2) / step).rounded(.down) * step)
        let maximum = max(pips * 2, ((Self.quantile(values, 0.9) ?? pips * 2) / step).rounded(.up) * step)
        return DistanceRule(
            pips: pips, minimum: min(minimum, pips), maximum: maximum, step: step,
            evidence: RuleEvidence(summary: summary, trades: values.count))
    }

    /// Holding limit: the time within which 95 % of the winning trades closed, proposed when at least 10 trades
    /// were held longer and those lost money in total. Descriptive, not a significance test: trades held longer
    /// than most winners are losers more often by construction, so the report never simulates this rule.
    func holdingRule(_ trades: [Trade]) -> HoldingRule? {
        let winners = trades.filter { $0.pipsightNet > 0 }.map(\.holdingSeconds)
        guard winners.count >= Self.minimumMeasurements, let p95 = Self.quantile(winners, 0.95), p95 > 0 else { return nil }
        let hours = max(0.5, (p95 / 1800).rounded(.up) / 2)
        let longer = trades.filter { $0.holdingSeconds > hours * 3600 }
        let sample = TradeSample(longer)
        guard longer.count >= Self.minimumMeasurements, sample.netProfit < 0 else { return nil }
        let summary =
            "95% of \(winners.count) winning trades closed within \(EvidenceText.number(hours)) h; the \(longer.count) trades held longer "
            + "made \(EvidenceText.money(sample.netProfit)) in total (win rate \(EvidenceText.percent(sample.winRate))). "
            + "Descriptive only: closing them earlier would have given other results, which the recorded trades cannot show."
        return HoldingRule(
            hours: hours,
            evidence: RuleEvidence(
                summary: summary, trades: longer.count, netProfit: sample.netProfit, winRate: sample.winRate,
                profitFactor: sample.finiteProfitFactor))
    }

    /// The `q` quantile (0…1) of `values` by linear interpolation between order statistics; nil when empty.
    static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
