import Foundation

extension SampleGenerator {
    /// The cBot parameters every writer uses, as (name, value, friendly name, group, min, max, step).
    static let sampleParameters: [(name: String, value: String, friendly: String, group: String, range: (String, String, String)?)] = [
        ("StopLossPips", "25", "Stop Loss (pips)", "Risk", ("10", "40", "5")),
        ("TakeProfitRatio", "1.5", "Take Profit / Stop Loss", "Risk", ("1", "2", "0.25")),
        ("Volume", "10000", "Volume (units)", "Risk", nil),
        ("FastPeriods", "9", "Fast MA Periods", "Signal", ("5", "20", "1")),
        ("SlowPeriods", "21", "Slow MA Periods", "Signal", ("20", "60", "5")),
        ("MAType", "Exponential", "MA Type", "Signal", nil),
        ("TradeFridays", "True", "Trade on Fridays", "Filters", nil),
    ]

    /// Writes an `.optres` (docs/ctrader-formats.md section 3): PascalCase enum values in
    /// `backtestingSettings`, the parameters with their ranges, and `optimisationPasses` passes. Pass 1 has
    /// this generator's real results; the others are plausible variations drawn from a second seeded
    /// generator. `maxEquityDrawdownPercent` is a fraction here.
    func writeOptres(into sink: OutputSink, options: WriteOptions) {
        let stats = statistics()
        let money = { (cents: Int64) in SampleNumber.json(cents, scale: 2) }
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        let endMs = stats.lastCloseMilliseconds ?? startMs
        sink.write(
            """
            {
              "backtestingSettings": {"startingCapital": \(startingCapital), "commissions": {"type": "UsdPerMillionUsdVolume", "value": 30}, "spread": {"type": "Fixed", "value": 1}, "data": {"type": "M1BarsFromServer"}},
              "testingPeriod": {"startDate": \(startMs), "endDate": \(endMs)},
              "criteria": {"standard": [{"criterion": "NetProfit", "extremum": "Maximum"}, {"criterion": "MaxEquityDrawdownPercent", "extremum": "Minimum"}]},
              "optimizationMethod": "Grid",
              "cpuCores": 8,
              "parameters": [
            """)
        let parameters = Self.sampleParameters.map { parameter -> String in
            var fields = ["\"name\": \(SampleNumber.jsonString(parameter.name))"]
            if let (min, max, step) = parameter.range {
                fields += ["\"optimize\": true", "\"min\": \(min)", "\"max\": \(max)", "\"step\": \(step)", "\"values\": null"]
            } else if parameter.name == "MAType" {
                fields += ["\"optimize\": true", "\"min\": null", "\"max\": null", "\"step\": null", "\"values\": [\"Simple\", \"Exponential\"]"]
            } else {
                fields += ["\"optimize\": false", "\"min\": null", "\"max\": null", "\"step\": null", "\"values\": [\(SampleNumber.jsonString(parameter.value))]"]
            }
            fields.append(
                "\"metadata\": {\"friendlyName\": \(SampleNumber.jsonString(parameter.friendly)), \"groupName\": \(SampleNumber.jsonString(parameter.group))}")
            return "    {" + fields.joined(separator: ", ") + "}"
        }
        sink.write("\n" + parameters.joined(separator: ",\n") + "\n  ],\n  \"results\": {\"elapsedTime\": \"00:12:34\", \"passes\": [")

        var rng = SplitMix64(seed: seed ^ 0x6F70_7472_6573_0001)
        // A second generator for the pass parameters, so that adding them changed none of the other values.
        var parameterRNG = SplitMix64(seed: seed ^ 0x6F70_7472_6573_0002)
        let passes = max(1, options.optimisationPasses)
        for passId in 1...passes {
            var trades = stats.all.trades
            var winners = stats.all.winners
            var net = stats.all.netCents
            var drawdown = stats.maxEquityDrawdownCents
            var factor = stats.all.profitFactorHundredths
            if passId > 1 {
                trades = max(1, trades * (80 + rng.int(below: 41)) / 100)
                winners = min(trades, trades * (30 + rng.int(below: 31)) / 100)
                net = net * Int64(rng.int(in: -150...150)) / 100 + Int64(rng.int(in: -50_000...50_000))
                drawdown = max(0, drawdown * Int64(50 + rng.int(below: 100)) / 100)
                factor = Int64(40 + rng.int(below: 180))
            }
            let equity = startingCapitalCents + net
            let status = equity <= 0 ? "StoppedWithStopOut" : "Completed"
            let drawdownFraction = startingCapitalCents > 0 ? drawdown * 10_000 / (startingCapitalCents + max(0, net)) : 0
            let average = trades > 0 ? net / Int64(trades) : 0
            sink.write(passId == 1 ? "\n" : ",\n")
            sink.write(
                "    {\"passId\": \(passId), \"status\": \"\(status)\", \"equity\": \(money(equity)), \"netProfit\": \(money(net)), "
                    + "\"trades\": \(trades), \"winningTrades\": \(winners), "
                    + "\"profitFactor\": \(factor.map { SampleNumber.json($0, scale: 2) } ?? "null"), "
                    + "\"averageTrade\": \(money(average)), \"maxEquityDrawdownAbsolute\": \(money(drawdown)), "
                    + "\"maxEquityDrawdownPercent\": \(SampleNumber.json(drawdownFraction, scale: 4)), "
                    + "\"parameters\": \(Self.passParameters(passId: passId, rng: &parameterRNG))}")
        }
        sink.write("\n  ]}\n}\n")
    }

    /// A pass's parameter values as a JSON object of strings: pass 1 has the defaults, the others a value on the
    /// grid of each optimised parameter (`MAType` alternates at random).
    static func passParameters(passId: Int, rng: inout SplitMix64) -> String {
        let fields = sampleParameters.map { parameter -> String in
            var value = parameter.value
            if passId > 1 {
                if let (min, max, step) = parameter.range, let low = Decimal(string: min), let high = Decimal(string: max),
                    let increment = Decimal(string: step), increment > 0
                {
                    let steps = NSDecimalNumber(decimal: (high - low) / increment).intValue
                    value = "\(low + increment * Decimal(rng.int(below: steps + 1)))"
                } else if parameter.name == "MAType" {
                    value = rng.int(below: 2) == 0 ? "Simple" : "Exponential"
                }
            }
            return "\(SampleNumber.jsonString(parameter.name)): \(SampleNumber.jsonString(value))"
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
