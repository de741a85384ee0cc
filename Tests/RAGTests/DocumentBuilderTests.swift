import Foundation
import PipsightCore
import PipsightTesting
import RAG
import Testing

@Suite("Documents built from a backtest")
struct DocumentBuilderTests {
    static let generator = SampleGenerator(seed: 11, trades: 300)
    static let backtestID = UUID(uuidString: "00000000-0000-4000-8000-000000000011") ?? UUID()

    static func content() -> BacktestContent {
        var header = BacktestHeader(format: .reportJSON, symbol: generator.symbol, cBotName: generator.cBotName,
                                    depositAsset: generator.depositAsset)
        header.startingCapital = Decimal(generator.startingCapital)
        return BacktestContent(id: backtestID, sourceName: "report.json", header: header,
                               trades: generator.pipsightTrades(),
                               parameters: [Parameter(name: "StopLossPips", value: "20", optimize: true, min: "10", max: "40", step: "5")],
                               passes: [OptimisationPass(passId: 1, netProfit: 120, trades: 10, winningTrades: 6),
                                        OptimisationPass(passId: 2, netProfit: -40, trades: 8, winningTrades: 2)])
    }

    /// Money as the test formats it, independently of the code under test: two decimals, `.` separator.
    static func money(_ value: Decimal) -> String {
        String(format: "%.2f", NSDecimalNumber(decimal: value).doubleValue)
    }

    static func document(_ documents: [RAGDocument], _ kind: DocumentKind, _ key: String? = nil) -> RAGDocument? {
        documents.first { $0.id == RAGDocument.makeID(backtestID: backtestID, kind: kind, key: key) }
    }

    @Test("the statistics document states the ground truth's totals, extremes, streaks and drawdown")
    func statistics() throws {
        let truth = Self.generator.groundTruth
        let documents = DocumentBuilder().documents(for: Self.content())
        let text = try #require(Self.document(documents, .statistics)).text
        #expect(text.contains("\(truth.tradeCount) trades (\(truth.longTrades) long, \(truth.shortTrades) short)"))
        #expect(text.contains("\(truth.winningTrades) winners and \(truth.losingTrades) losers"))
        #expect(text.contains("Net profit \(Self.money(truth.netProfit)) USD"))
        #expect(text.contains("+\(Self.money(truth.largestWin)) USD"))
        #expect(text.contains("\(Self.money(truth.largestLoss)) USD"))
        if let id = truth.largestLossPositionId { #expect(text.contains("Largest loss (biggest losing trade): trade \(id) ")) }
        if let id = truth.largestWinPositionId { #expect(text.contains("Largest win (biggest winning trade): trade \(id) ")) }
        #expect(text.contains("Longest winning streak (maximum consecutive winning trades in a row): \(truth.maxConsecutiveWins) trades"))
        #expect(text.contains("Longest losing streak (maximum consecutive losing trades in a row): \(truth.maxConsecutiveLosses) trades"))
        #expect(text.contains("Maximum balance drawdown \(Self.money(truth.maxBalanceDrawdown)) USD"))
        #expect(text.contains("final balance \(Self.money(truth.finalBalance)) USD"))
    }

    @Test("one document per trade, and weekday and hour documents carry the ground truth's net profit and counts")
    func groups() throws {
        let truth = Self.generator.groundTruth
        let documents = DocumentBuilder().documents(for: Self.content())
        #expect(documents.filter { $0.kind == .trade }.count == truth.tradeCount)
        #expect(Set(documents.map(\.id)).count == documents.count)
        #expect(!truth.netByWeekday.isEmpty)
        for (weekday, net) in truth.netByWeekday {
            let document = try #require(Self.document(documents, .weekday, weekday.lowercased()))
            #expect(document.text.contains("Trades opened on \(weekday)s (day of the week, UTC): \(truth.tradesByWeekday[weekday] ?? -1) trades"))
            #expect(document.text.contains("Net profit \(Self.money(net)) USD"))
        }
        // The best weekday by net profit is called the best.
        let best = try #require(truth.netByWeekday.max { $0.value < $1.value }?.key)
        #expect(Self.document(documents, .weekday, best.lowercased())?.text.contains("(the best day of the week, the most profitable weekday") == true)
        for (hour, net) in truth.netByOpenHour {
            let document = try #require(Self.document(documents, .hour, hour))
            #expect(document.text.contains("Net profit \(Self.money(net)) USD"))
            #expect(document.text.contains("Trades opened in hour \(hour) (\(hour):00-\(hour):59 UTC"))
        }
        #expect(documents.contains { $0.kind == .day })
        // Months by close time (when the profit was realised), as the ground truth counts them.
        #expect(!truth.netByMonth.isEmpty)
        for (month, net) in truth.netByMonth {
            let document = try #require(Self.document(documents, .month, month))
            #expect(document.text.contains("Net profit \(Self.money(net)) USD"), "month \(month)")
        }
    }

    @Test("a trade's narrative names its symbol, side, weekday, session, prices, pips and result")
    func tradeNarrative() throws {
        let trade = Trade(positionId: "4711", symbol: "GBPUSD", direction: .sell,
                          openTime: Date(timeIntervalSince1970: 1_709_626_500), // Tuesday 2024-03-05 08:15 UTC
                          closeTime: Date(timeIntervalSince1970: 1_709_638_800), // 11:40 UTC
                          entryPrice: Decimal(string: "1.26512"), closePrice: Decimal(string: "1.26345"),
                          netProfit: Decimal(string: "-12.5"), pips: Decimal(string: "16.7"),
                          initialStopLoss: Decimal(string: "1.26800"), finalStopLoss: Decimal(string: "1.26600"),
                          closeReason: .stopLoss)
        let content = BacktestContent(id: Self.backtestID, sourceName: "x", header: BacktestHeader(format: .reportJSON, depositAsset: "EUR"),
                                      trades: [trade])
        let document = try #require(DocumentBuilder().documents(for: content).first { $0.kind == .trade })
        #expect(document.id == "\(Self.backtestID.uuidString.lowercased())/trade/4711")
        #expect(document.tradeIDs == ["4711"])
        for phrase in ["short (sell) GBPUSD", "losing trade", "Tuesday 2024-03-05 08:15 UTC", "London session", "at 1.26512",
                       "at 1.26345", "stop loss (S/L hit)", "Held 3h 25m (205 minutes)", "Net profit -12.50 EUR", "+16.7 pips",
                       "moved from 1.268 to 1.266", "March 2024"] {
            #expect(document.text.contains(phrase), "missing \(phrase)")
        }
        #expect(document.startTime == trade.openTime && document.endTime == trade.closeTime)
    }

    @Test("parameters and passes get documents; building twice gives identical documents")
    func runDocumentsAndStability() throws {
        let first = DocumentBuilder().documents(for: Self.content())
        #expect(first == DocumentBuilder().documents(for: Self.content()))
        let parameters = try #require(Self.document(first, .parameters))
        #expect(parameters.text.contains("StopLossPips = 20 (optimised from 10 to 40 step 5)"))
        let pass = try #require(Self.document(first, .pass, "2"))
        #expect(pass.text.contains("net profit -40.00") && pass.text.contains("(the worst pass)"))
        #expect(Self.document(first, .pass, "1")?.text.contains("(the best pass") == true)
    }
}
