import Foundation

/// The documents a question points at without searching: the document that explains each fact (the worst
/// weekday's document, the largest loss's trade, the statistics for a streak), and the trades, days and months
/// the question names. They come first in an answer's documents; hybrid retrieval fills the rest.
enum QueryDocumentLinks {
    /// Document ids in order of importance, without repeats. `backtestIDs`: the backtests the question is
    /// about (references such as `trade 42` are looked up in each).
    static func ids(facts: [Fact], analysis: QuestionAnalysis, backtestIDs: [UUID]) -> [String] {
        var ids: [String] = []
        func add(_ backtest: UUID, _ kind: DocumentKind, _ key: String? = nil) {
            ids.append(RAGDocument.makeID(backtestID: backtest, kind: kind, key: key))
        }
        for backtest in backtestIDs {
            for trade in analysis.tradeReferences { add(backtest, .trade, trade) }
            for day in analysis.days { add(backtest, .day, day) }
        }
        for fact in facts {
            let backtest = fact.backtestID
            switch fact.intent {
            case .bestWeekday, .worstWeekday, .namedWeekday:
                if let key = fact.key { add(backtest, .weekday, key.lowercased()) }
            case .bestHour, .worstHour, .namedHour:
                if let key = fact.key { add(backtest, .hour, key) }
            case .bestMonth, .worstMonth, .namedMonth:
                if let key = fact.key { add(backtest, .month, key) }
            case .largestLoss, .largestWin:
                add(backtest, .statistics)
                if let key = fact.key { add(backtest, .trade, key) }
            case .bestPass:
                if let key = fact.key { add(backtest, .pass, key) }
            case .parameterEffect:
                add(backtest, .parameters)
            case .longestWinningStreak, .longestLosingStreak, .maxDrawdown, .tradeCount, .netProfit, .commissions,
                .swaps, .winRate, .averageTrade, .averageWin, .averageLoss, .profitFactor:
                add(backtest, .statistics)
            case .bestSymbol, .worstSymbol:
                break
            }
        }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// `linked` documents first (with their retrieval scores when retrieval found them too), then the retrieved
    /// ones, at most `k`.
    static func merge(linked: [RAGDocument], retrieved: [RetrievedDocument], k: Int) -> [RetrievedDocument] {
        let byID = Dictionary(retrieved.map { ($0.document.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result = linked.map { byID[$0.id] ?? RetrievedDocument(document: $0, score: 0, vectorRank: nil, textRank: nil) }
        var seen = Set(result.map(\.document.id))
        for document in retrieved where seen.insert(document.document.id).inserted { result.append(document) }
        return Array(result.prefix(k))
    }
}
