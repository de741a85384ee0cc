import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import RAG
import Testing

@Suite("Hybrid retrieval")
struct HybridRetrievalTests {
    typealias Support = RetrievalTestSupport

    @Test("backtest, kind and time-range filters exclude every other document, in both lists")
    func filters() async throws {
        try await TestDatabase.withStore { store, _ in
            let a = try await Support.ingestSample(store, seed: 21, trades: 60)
            let b = try await Support.ingestSample(store, seed: 22, trades: 60)
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            try await index.index(backtestID: a)
            try await index.index(backtestID: b)

            let question = "losing trades on Friday evening"
            let unfiltered = try await index.retrieve(RetrievalQuery(text: question, k: 40))
            #expect(Set(unfiltered.map(\.document.backtestID)) == [a, b])

            let onlyB = try await index.retrieve(RetrievalQuery(text: question, backtestIDs: [b], k: 40))
            #expect(!onlyB.isEmpty && onlyB.allSatisfy { $0.document.backtestID == b })
            #expect(onlyB.contains { $0.vectorRank != nil } && onlyB.contains { $0.textRank != nil })

            let trades = try await index.retrieve(RetrievalQuery(text: question, backtestIDs: [a], k: 40, kinds: [.trade]))
            #expect(!trades.isEmpty && trades.allSatisfy { $0.document.kind == .trade })

            // A one-week window: everything returned overlaps it; nothing without time comes back.
            let start = Date(timeIntervalSince1970: 1_704_067_200 + 7 * 86_400) // 2024-01-08
            let range = start...start.addingTimeInterval(7 * 86_400)
            let windowed = try await index.retrieve(RetrievalQuery(text: question, backtestIDs: [a], timeRange: range, k: 40))
            #expect(!windowed.isEmpty)
            for result in windowed {
                let from = try #require(result.document.startTime ?? result.document.endTime)
                let to = try #require(result.document.endTime ?? result.document.startTime)
                #expect(from <= range.upperBound && to >= range.lowerBound, "\(result.document.id) is outside the range")
            }
            // Trades of the window that exist must be reachable; a trade outside it never is.
            let all = try await index.documents(backtestID: a, kind: .trade)
            let outside = all.filter { ($0.endTime ?? .distantPast) < range.lowerBound }
            #expect(!outside.isEmpty)
            #expect(Set(windowed.map(\.document.id)).isDisjoint(with: outside.map(\.id)))
        }
    }

    @Test("a trade named in the question is matched as 'trade N' in a title, not as any document holding N")
    func namedTradeMatchesTheTradeTitle() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 24, trades: 40)
            let index = try await DocumentIndex.open(store: store, embedder: BlindEmbedder(), logger: store.logger)
            try await index.index(backtestID: id)
            let trades = try await index.documents(backtestID: id, kind: .trade)
            let first = try #require(trades.first { $0.tradeIDs == ["1"] })
            // "1" alone is in many documents ("1 trades (1 long", lots, ranks); the phrase is in one title only.
            let holdingOne = try await Support.count(store, "SELECT count(*)::int FROM documents WHERE search @@ to_tsquery('simple', '1')")
            #expect(holdingOne > 5)
            let results = try await index.retrieve(RetrievalQuery(text: "Explain what happened in trade 1.", backtestIDs: [id], k: 5),
                                                   mode: .textOnly)
            #expect(results.map(\.document.id) == [first.id])
            let position = try await index.retrieve(RetrievalQuery(text: "What about position #1?", backtestIDs: [id], k: 5),
                                                    mode: .textOnly)
            #expect(position.map(\.document.id) == [first.id])
            // In the hybrid list the full-text hit comes first although the blind vector list ranks it anywhere.
            let hybrid = try await index.retrieve(RetrievalQuery(text: "Explain what happened in trade 1.", backtestIDs: [id], k: 5))
            #expect(hybrid.first?.document.id == first.id)
        }
    }

    @Test("full-text search finds an exact term that the embedder cannot see")
    func fullTextFindsExactTerm() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 23, trades: 50)
            let index = try await DocumentIndex.open(store: store, embedder: BlindEmbedder(), logger: store.logger)
            try await index.index(backtestID: id)
            let trades = try await index.documents(backtestID: id, kind: .trade)
            // The last trade by id sorts after every other document, so the blind vector list ranks it last.
            let target = try #require(trades.max { $0.id < $1.id })
            let position = try #require(target.tradeIDs.first)
            let results = try await index.retrieve(RetrievalQuery(text: "what happened in trade \(position)?", backtestIDs: [id], k: 3, kinds: [.trade]))
            let hit = try #require(results.first)
            #expect(hit.document.id == target.id)
            #expect(hit.textRank == 1)
            #expect(hit.vectorRank == nil || (hit.vectorRank ?? 0) > 1)
        }
    }

    @Test("the offline embedder alone ranks the right weekday and hour documents first")
    func semanticRanking() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 24, trades: 200)
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            try await index.index(backtestID: id)
            let friday = try await index.retrieve(RetrievalQuery(text: "How did Friday trades do?", backtestIDs: [id], k: 5,
                                                                 kinds: [.weekday]))
            #expect(friday.first?.document.id == RAGDocument.makeID(backtestID: id, kind: .weekday, key: "friday"))
            let hour = try await index.retrieve(RetrievalQuery(text: "trades opened in hour 22", backtestIDs: [id], k: 5,
                                                               kinds: [.hour]))
            #expect(hour.first?.document.id == RAGDocument.makeID(backtestID: id, kind: .hour, key: "22"))
        }
    }

    @Test("documents are full-text searchable before they are embedded")
    func textBeforeVectors() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 25, trades: 20)
            let failing = try await DocumentIndex.open(store: store, embedder: FailingEmbedder(failOnCall: 1),
                                                       logger: store.logger)
            await #expect(throws: PipsightError.self) { try await failing.index(backtestID: id) }
            let results = try await failing.retrieve(RetrievalQuery(text: "statistics largest win", backtestIDs: [id], k: 5))
            #expect(results.contains { $0.document.kind == .statistics })
            #expect(results.allSatisfy { $0.vectorRank == nil })
        }
    }
}
