import CTraderImport
import Foundation

extension SampleGenerator {
    /// How the History CSV is written: every knob the History parser must detect.
    public struct HistoryCSVOptions: Sendable, Hashable {
        /// How money headers name the account currency.
        public enum CurrencyStyle: Sendable, Hashable {
            /// `Gross USD`, `Net USD`, `Balance USD` (older builds).
            case code
            /// `Gross P/L (EUR)`, `Net P/L €`, `Balance (EUR)` (newer builds; the symbol where one is known).
            case newer
        }

        /// How times are written.
        public enum DateStyle: Sendable, Hashable {
            /// `31/12/2024 23:59:59.123`
            case dayMonthYear
            /// `12/31/2024 23:59:59.123`
            case monthDayYear
            /// `2024-12-31 23:59:59.123`
            case yearMonthDay
            /// `31.12.2024 23:59:59`
            case dotted
            /// `2024-12-31T23:59:59.123Z` (the offset written when one is set)
            case iso8601
        }

        public var delimiter: CSVDelimiter
        public var decimalSeparator: DecimalSeparator
        /// Thousands separator for money and volumes (`","`, `"."`, `" "`, `"'"`, `"\u{00A0}"`); nil for none.
        public var thousandsSeparator: String?
        public var encoding: TextEncoding
        /// Local time of the file; written as `(UTC+4)` in the time headers, with times shifted; nil: UTC, no suffix.
        public var utcOffsetSeconds: Int?
        public var currencyStyle: CurrencyStyle
        public var dateStyle: DateStyle
        /// Appends a `Total` row with the money sums and no times.
        public var summaryRow: Bool
        public var lineEnding: String

        public init(
            delimiter: CSVDelimiter = .comma, decimalSeparator: DecimalSeparator = .point, thousandsSeparator: String? = nil,
            encoding: TextEncoding = .utf8, utcOffsetSeconds: Int? = nil, currencyStyle: CurrencyStyle = .code,
            dateStyle: DateStyle = .dayMonthYear, summaryRow: Bool = false, lineEnding: String = "\r\n"
        ) {
            self.delimiter = delimiter
            self.decimalSeparator = decimalSeparator
            self.thousandsSeparator = thousandsSeparator
            self.encoding = encoding
            self.utcOffsetSeconds = utcOffsetSeconds
            self.currencyStyle = currencyStyle
            self.dateStyle = dateStyle
            self.summaryRow = summaryRow
            self.lineEnding = lineEnding
        }

        /// Excel's usual save: UTF-16 LE with BOM, tab-separated.
        public static var excelUnicode: HistoryCSVOptions { HistoryCSVOptions(delimiter: .tab, encoding: .utf16LEBOM) }

        /// A European export: `;`, decimal comma, `.` thousands, UTF-8 BOM, `(UTC+1)`, `Net P/L €` headers.
        public static var european: HistoryCSVOptions {
            HistoryCSVOptions(
                delimiter: .semicolon, decimalSeparator: .comma, thousandsSeparator: ".", encoding: .utf8BOM,
                utcOffsetSeconds: 3600, currencyStyle: .newer)
        }
    }

    private static let currencySymbols = ["EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"]

    /// The header cells for `options`.
    func historyCSVHeaders(_ options: HistoryCSVOptions) -> [String] {
        var zone = ""
        if let offset = options.utcOffsetSeconds {
            let sign = offset < 0 ? "-" : "+"
            let magnitude = abs(offset)
            zone = magnitude % 3600 == 0
                ? " (UTC\(sign)\(magnitude / 3600))"
                : " (UTC\(sign)\(SampleNumber.two(magnitude / 3600)):\(SampleNumber.two(magnitude % 3600 / 60)))"
        }
        let currency = depositAsset
        let gross: String
        let net: String
        let balance: String
        switch options.currencyStyle {
        case .code:
            (gross, net, balance) = ("Gross \(currency)", "Net \(currency)", "Balance \(currency)")
        case .newer:
            let symbol = Self.currencySymbols[currency].map { " \($0)" } ?? " (\(currency))"
            (gross, net, balance) = ("Gross P/L (\(currency))", "Net P/L\(symbol)", "Balance (\(currency))")
        }
        return [
            "ID", "Order ID", "Symbol", "Opening Direction", "Closing Direction", "Opening Time\(zone)",
            "Closing Time\(zone)", "Entry Price", "Closing Price", "Closing Quantity", "Closing Volume",
            "Closing \(currency) Volume", "Swap", "Commission", gross, net, balance, "Pips", "Label", "Comment",
        ]
    }

    func writeHistoryCSV(into sink: OutputSink, options: HistoryCSVOptions) {
        let delimiter = String(options.delimiter.character)
        let decimal = String(options.decimalSeparator.character)
        let grouping = options.thousandsSeparator
        let end = options.lineEnding
        func cell(_ text: String) -> String {
            guard text.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" || String($0) == delimiter }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func money(_ cents: Int64) -> String { cell(SampleNumber.fixed(cents, scale: 2, decimal: decimal, grouping: grouping)) }
        func price(_ points: Int64) -> String { cell(SampleNumber.fixed(points, scale: digits, decimal: decimal, grouping: nil)) }
        func time(_ milliseconds: Int64) -> String {
            let offset = Int64(options.utcOffsetSeconds ?? 0)
            let parts = SampleNumber.civil(milliseconds + offset * 1000)
            let clock = "\(SampleNumber.two(parts.hour)):\(SampleNumber.two(parts.minute)):\(SampleNumber.two(parts.second))"
            let millis = "." + SampleNumber.three(parts.millisecond)
            let (day, month, year) = (SampleNumber.two(parts.day), SampleNumber.two(parts.month), String(parts.year))
            switch options.dateStyle {
            case .dayMonthYear: return "\(day)/\(month)/\(year) \(clock)\(millis)"
            case .monthDayYear: return "\(month)/\(day)/\(year) \(clock)\(millis)"
            case .yearMonthDay: return "\(year)-\(month)-\(day) \(clock)\(millis)"
            case .dotted: return "\(day).\(month).\(year) \(clock)"
            case .iso8601:
                guard offset != 0 else { return "\(year)-\(month)-\(day)T\(clock)\(millis)Z" }
                let sign = offset < 0 ? "-" : "+"
                let magnitude = Int(abs(offset))
                return "\(year)-\(month)-\(day)T\(clock)\(millis)\(sign)\(SampleNumber.two(magnitude / 3600)):\(SampleNumber.two(magnitude % 3600 / 60))"
            }
        }

        sink.write(historyCSVHeaders(options).map(cell).joined(separator: delimiter) + end)
        var totals = (swap: Int64(0), commission: Int64(0), gross: Int64(0), net: Int64(0))
        var row: [String] = []
        row.reserveCapacity(20)
        for trade in trades {
            let opening = trade.direction == .buy ? "Buy" : "Sell"
            let closing = trade.direction == .buy ? "Sell" : "Buy"
            for deal in trade.deals {
                totals.swap += deal.swapCents
                totals.commission += deal.commissionCents
                totals.gross += deal.grossCents
                totals.net += deal.netCents
                let comment: String
                if !deal.isFinal {
                    comment = "partial close, \(deal.units * 100 / trade.units)%"
                } else {
                    switch trade.closeReason {
                    case .takeProfit: comment = "TP"
                    case .stopLoss: comment = "SL"
                    default: comment = ""
                    }
                }
                row.removeAll(keepingCapacity: true)
                row.append(String(trade.positionId))
                row.append(String(deal.dealId))
                row.append(cell(symbol))
                row.append(opening)
                row.append(closing)
                row.append(time(trade.openTimeMilliseconds))
                row.append(time(deal.closeTimeMilliseconds))
                row.append(price(trade.entryPricePoints))
                row.append(price(deal.closePricePoints))
                row.append(cell(SampleNumber.fixed(deal.units / 1000, scale: 2, decimal: decimal, grouping: grouping)))
                row.append(cell(SampleNumber.fixed(deal.units, scale: 0, decimal: decimal, grouping: grouping)))
                row.append(money(deal.units * deal.closePricePoints * 100 / pointsPerUnit))
                row.append(money(deal.swapCents))
                row.append(money(deal.commissionCents))
                row.append(money(deal.grossCents))
                row.append(money(deal.netCents))
                row.append(money(deal.balanceCents))
                row.append(cell(SampleNumber.fixed(deal.pipsTenths, scale: 1, decimal: decimal, grouping: grouping)))
                row.append(cell(label))
                row.append(cell(comment))
                sink.write(row.joined(separator: delimiter) + end)
            }
        }
        if options.summaryRow {
            var summary = Array(repeating: "", count: 20)
            summary[0] = "Total"
            summary[12] = money(totals.swap)
            summary[13] = money(totals.commission)
            summary[14] = money(totals.gross)
            summary[15] = money(totals.net)
            sink.write(summary.joined(separator: delimiter) + end)
        }
    }
}
