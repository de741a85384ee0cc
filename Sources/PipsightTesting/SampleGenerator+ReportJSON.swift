import Foundation

extension SampleGenerator {
    /// The statistics of the whole run (one generation pass).
    func statistics() -> SampleStatistics {
        var statistics = SampleStatistics(startingCapitalCents: startingCapitalCents)
        for trade in trades { statistics.add(trade) }
        return statistics
    }

    /// Writes `report.json` as `ctrader-cli --report-json` does (docs/ctrader-formats.md section 1): `main`,
    /// `equity` (drawdowns and one point per position), `tradeStatistics` (`{all, long, short}` per key,
    /// computed from the trades) and `history` (`columns` and one item per closing deal; `id` is the
    /// position id, so a partial close gives two items with one id). Two generation passes: statistics
    /// first, then the history, so memory stays bounded.
    func writeReportJSON(into sink: OutputSink, options: WriteOptions) {
        let stats = statistics()
        let money = { (cents: Int64) in SampleNumber.json(cents, scale: 2) }
        let price = { (points: Int64) in SampleNumber.json(points, scale: self.digits) }
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        let endMs = stats.lastCloseMilliseconds ?? startMs
        let roiBasisPoints = startingCapitalCents > 0 ? stats.all.netCents * 10_000 / startingCapitalCents : 0
        let startParts = SampleNumber.civil(startMs)
        let endParts = SampleNumber.civil(endMs)
        let formatted = "\(startParts.year)-\(SampleNumber.two(startParts.month))-\(SampleNumber.two(startParts.day))"
            + " - \(endParts.year)-\(SampleNumber.two(endParts.month))-\(SampleNumber.two(endParts.day))"

        sink.write("{\n  \"main\": {\n")
        let main: [(String, String)] = [
            ("symbol", SampleNumber.jsonString(symbol)),
            ("period", "\"h1\""),
            ("netProfit", money(stats.all.netCents)),
            ("roi", SampleNumber.json(roiBasisPoints, scale: 2)),
            ("startingCapital", money(startingCapitalCents)),
            ("endingBalance", money(stats.balanceCents)),
            ("endingEquity", money(stats.balanceCents)),
            ("depositAsset", SampleNumber.jsonString(depositAsset)),
            ("depositAssetDigits", "2"),
            ("accountType", "\"hedging\""),
            ("accountLeverage", "100"),
            ("brokerTitle", "\"Pipsight Sample Broker\""),
            ("cBotName", SampleNumber.jsonString(cBotName)),
            ("utcOffset", "0"),
            (
                "testingPeriod",
                "{\"startDate\": \(startMs), \"endDate\": \(endMs), \"duration\": \(endMs - startMs), \"formatted\": \(SampleNumber.jsonString(formatted))}"
            ),
            ("data", "{\"type\": \"m1BarsFromServer\", \"isCustom\": false, \"customName\": null}"),
            ("commissions", "{\"type\": \"usdPerMillionUsdVolume\", \"value\": 30, \"applyCommissionAutomatically\": false}"),
            ("spread", "{\"type\": \"fixed\", \"value\": 1}"),
        ]
        sink.write(main.map { "    \"\($0.0)\": \($0.1)" }.joined(separator: ",\n"))
        sink.write("\n  },\n  \"equity\": {\n")
        sink.write("    \"maxBalanceDrawdownPercent\": \(SampleNumber.json(stats.maxBalanceDrawdownBasisPoints, scale: 2)),\n")
        sink.write("    \"maxEquityDrawdownPercent\": \(SampleNumber.json(stats.maxEquityDrawdownBasisPoints, scale: 2)),\n")
        sink.write("    \"maxBalanceDrawdownAbsolute\": \(money(stats.maxBalanceDrawdownCents)),\n")
        sink.write("    \"maxEquityDrawdownAbsolute\": \(money(stats.maxEquityDrawdownCents)),\n")
        sink.write("    \"points\": [")
        if options.equityPoints {
            var first = true
            for trade in trades {
                let balance = trade.deals.last?.balanceCents ?? trade.balanceBeforeCents
                sink.write(first ? "\n" : ",\n")
                first = false
                sink.write(
                    "      {\"timestamp\": \(trade.closeTimeMilliseconds), \"balance\": \(money(balance)), \"minEquity\": \(money(trade.minEquityCents)), \"maxEquity\": \(money(trade.maxEquityCents))}"
                )
            }
            if !first { sink.write("\n    ") }
        }
        sink.write("]\n  },\n  \"tradeStatistics\": {\n")

        func triple(_ value: (SideStatistics) -> String) -> String {
            "{\"all\": \(value(stats.all)), \"long\": \(value(stats.long)), \"short\": \(value(stats.short))}"
        }
        let statistics: [(String, String)] = [
            ("netProfit", triple { money($0.netCents) }),
            ("profitFactor", triple { $0.profitFactorHundredths.map { SampleNumber.json($0, scale: 2) } ?? "null" }),
            ("commissions", triple { money($0.commissionCents) }),
            ("swaps", triple { money($0.swapCents) }),
            ("totalTrades", triple { String($0.trades) }),
            ("winningTrades", triple { String($0.winners) }),
            ("losingTrades", triple { String($0.losers) }),
            ("largestWinningTrade", triple { money($0.largestWinCents) }),
            ("largestLosingTrade", triple { money($0.largestLossCents) }),
            ("averageTrade", triple { money($0.averageCents) }),
            ("maxConsecutiveWinningTrades", triple { String($0.maxConsecutiveWinners) }),
            ("maxConsecutiveLosingTrades", triple { String($0.maxConsecutiveLosers) }),
        ]
        sink.write(statistics.map { "    \"\($0.0)\": \($0.1)" }.joined(separator: ",\n"))

        let columns = [
            "id", "label", "symbol", "direction", "entryTime", "closeTime", "entryPrice", "closePrice", "quantity",
            "volume", "gross", "net", "commissions", "swaps", "pips", "balance",
        ]
        sink.write("\n  },\n  \"history\": {\n    \"columns\": [\(columns.map { "\"\($0)\"" }.joined(separator: ", "))],\n    \"items\": [")
        var first = true
        let label = SampleNumber.jsonString(self.label)
        let symbol = SampleNumber.jsonString(self.symbol)
        for trade in trades {
            let direction = trade.direction == .buy ? "\"buy\"" : "\"sell\""
            for deal in trade.deals {
                sink.write(first ? "\n" : ",\n")
                first = false
                sink.write(
                    "      {\"id\": \(trade.positionId), \"label\": \(label), \"symbol\": \(symbol), \"direction\": \(direction), "
                        + "\"entryTime\": \(trade.openTimeMilliseconds), \"closeTime\": \(deal.closeTimeMilliseconds), "
                        + "\"entryPrice\": \(price(trade.entryPricePoints)), \"closePrice\": \(price(deal.closePricePoints)), "
                        + "\"quantity\": \(SampleNumber.json(deal.units / 1000, scale: 2)), \"volume\": \(deal.units), "
                        + "\"gross\": \(money(deal.grossCents)), \"net\": \(money(deal.netCents)), "
                        + "\"commissions\": \(money(deal.commissionCents)), \"swaps\": \(money(deal.swapCents)), "
                        + "\"pips\": \(SampleNumber.json(deal.pipsTenths, scale: 1)), \"balance\": \(money(deal.balanceCents))}")
            }
        }
        sink.write(first ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n")
    }
}
