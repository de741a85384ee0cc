import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import PostgresStore
import Testing

@testable import RAG

/// Facts from the trade columns stored at ingest equal, field for field (text, amounts, dates, trade ids), the
/// facts from the SQL aggregates and the stored trade rows they replace; the columns path reads no trade rows;
/// the backtests of a question about all of them give the same facts worked on concurrently as one at a time.
@Suite("FactBuilder: facts from the stored trade columns equal those from SQL and the trade rows")
struct FactBuilderColumnsTests {
    static let generator = SampleGenerator(seed: 7, trades: 500)

    /// Every kind of fact the trade data gives.
    static let questions = [
        "Which weekday is the most profitable?", "Which weekday loses the most?", "What is the worst hour?",
        "Which month was the best and which the worst?", "Which symbol made the most money?",
        "Why did March lose money on Fridays after 22:00?", "What was the largest loss?",
        "What was the biggest winning trade?", "What was the longest losing streak?",
        "What was the longest winning streak?", "When was the maximum drawdown?", "What was the total net profit?",
        "How many trades were there?", "What is the win rate and the profit factor?",
        "What were the average trade, the average win and the average loss?", "How much were commissions and swaps?",
    ]

    /// A `FactSource` that counts the trade-row reads of the store it forwards to.
    actor CountingSource: FactSource {
        let store: BacktestStore
        var tradeReads = 0

        init(_ store: BacktestStore) { self.store = store }

        func factBacktests(ids: [UUID]) async throws -> [BacktestSummary] { try await store.factBacktests(ids: ids) }
        func statistics(backtestID: UUID) async throws -> BacktestStatistics? { try await store.statistics(backtestID: backtestID) }
        func breakdown(backtestID: UUID, by dimension: BreakdownDimension, timeZone: TimeZone) async throws -> [BreakdownRow] {
            try await store.breakdown(backtestID: backtestID, by: dimension, timeZone: timeZone)
        }
        func trades(backtestID: UUID) async throws -> [Trade] {
            tradeReads += 1
            return try await store.trades(backtestID: backtestID)
        }
        func optimisationPasses(backtestID: UUID) async throws -> [OptimisationPass] {
            try await store.optimisationPasses(backtestID: backtestID)
        }
        func tradeColumns(backtestID: UUID) async throws -> TradeColumns? { try await store.tradeColumns(backtestID: backtestID) }
        func positionIDs(backtestID: UUID, seqs: [Int]) async throws -> [Int: String] {
            try await store.positionIDs(backtestID: backtestID, seqs: seqs)
        }
    }

    @Test("the same facts from the columns as from SQL and the trade rows", arguments: [ExportFormat.reportJSON, .historyCSV])
    func sameFacts(format: ExportFormat) async throws {
        try await TestDatabase.withStore { store, _ in
            let name = format == .historyCSV ? "history.csv" : "report.json"
            let id = try await store.ingest(ImportInput(name: name, data: Self.generator.write(format))).backtestID
            #expect(try await store.tradeColumns(backtestID: id) != nil, "the backtest has no stored columns")
            let source = CountingSource(store), rowSource = CountingSource(store)
            let columns = FactBuilder(source: source, logger: TestDatabase.logger)
            var rows = FactBuilder(source: rowSource, logger: TestDatabase.logger)
            rows.usesStoredColumns = false
            for question in Self.questions {
                let analysis = QuestionAnalyser().analyse(question)
                let fromColumns = try await columns.facts(for: analysis, backtestIDs: [id])
                #expect(!fromColumns.isEmpty, "no facts for “\(question)”")
                #expect(await source.tradeReads == 0, "“\(question)” read the trade rows")
                let fromRows = try await rows.facts(for: analysis, backtestIDs: [id])
                #expect(fromColumns == fromRows, "“\(question)”")
            }
            // The comparison did walk the trade rows on the other side.
            #expect(await rowSource.tradeReads > 0)
        }
    }

    @Test("a question about every backtest: the same facts, in the backtests' order, worked on concurrently")
    func concurrentBacktests() async throws {
        try await TestDatabase.withStore { store, _ in
            var ids: [UUID] = []
            for seed: UInt64 in 11...13 {
                let data = SampleGenerator(seed: seed, trades: 200).write(.reportJSON)
                ids.append(try await store.ingest(ImportInput(name: "run-\(seed).json", data: data)).backtestID)
            }
            let analysis = QuestionAnalyser().analyse("What was the largest loss and the longest losing streak?")
            var sequential = FactBuilder(source: store, logger: TestDatabase.logger)
            sequential.concurrentBacktests = 1
            var concurrent = FactBuilder(source: store, logger: TestDatabase.logger)
            concurrent.concurrentBacktests = 2
            let one = try await sequential.facts(for: analysis, backtestIDs: [])
            let all = try await concurrent.facts(for: analysis, backtestIDs: [])
            #expect(all == one)
            #expect(all.map(\.id) == (1...6).map { "F\($0)" })
            // Oldest first, two facts each, as `factBacktests` lists them.
            let order = try await store.factBacktests(ids: []).map(\.id)
            #expect(Set(order) == Set(ids))
            #expect(all.map(\.backtestID) == order.flatMap { [$0, $0] })
        }
    }
}
