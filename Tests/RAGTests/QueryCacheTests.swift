import Foundation
import Ollama
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import Testing

@testable import RAG

/// The query caches: a hit replays the same answer; a deleted, re-ingested or re-indexed backtest is never answered
/// from what was cached before; size 0 keeps nothing; the LRU bound holds.
@Suite("Query caches: reuse only while exact")
struct QueryCacheTests {
    static func offlineService(
        store: BacktestStore, index: DocumentIndex, caches: QueryCaches = QueryCaches()
    ) -> QueryService {
        QueryServiceTests.service(
            store: store, index: index, models: .offlineOnly(reason: "offline", logger: TestDatabase.logger)
        ).withCaches(caches)
    }

    @Test("LRU: at most capacity entries, the least recently used goes first; capacity 0 keeps nothing")
    func lruBound() {
        let cache = LRUCache<Int, String>(name: "test", capacity: 3)
        for key in 1...3 { cache.setValue("v\(key)", forKey: key) }
        #expect(cache.value(forKey: 1) == "v1")  // 1 is now the most recent; 2 the least
        cache.setValue("v4", forKey: 4)
        #expect(cache.count == 3)
        #expect(cache.value(forKey: 2) == nil)
        #expect(cache.value(forKey: 1) == "v1")
        #expect(cache.value(forKey: 3) == "v3")
        #expect(cache.value(forKey: 4) == "v4")
        cache.setValue("v3b", forKey: 3)  // replacing a value does not grow the cache
        #expect(cache.count == 3)
        #expect(cache.value(forKey: 3) == "v3b")
        for key in 5...200 { cache.setValue("v\(key)", forKey: key) }
        #expect(cache.count == 3)
        #expect(cache.value(forKey: 198) == "v198" && cache.value(forKey: 199) == "v199" && cache.value(forKey: 200) == "v200")
        #expect(cache.value(forKey: 197) == nil)

        let off = LRUCache<Int, String>(name: "off", capacity: 0)
        off.setValue("x", forKey: 1)
        #expect(!off.isEnabled)
        #expect(off.count == 0)
        #expect(off.value(forKey: 1) == nil)
    }

    @Test("offline: the same question again is replayed with the same answer, tokens and citations, marked hit")
    func offlineHit() async throws {
        try await QueryServiceTests.withIndexedBacktest { store, index, id in
            let caches = QueryCaches()
            let service = Self.offlineService(store: store, index: index, caches: caches)
            let request = QueryRequest(question: "Which weekday loses the most money?", backtestIds: [id], k: 5)
            let (firstTokens, firstResponse) = try await QueryServiceTests.collect(service.stream(request))
            let (secondTokens, secondResponse) = try await QueryServiceTests.collect(service.stream(request))
            let first = try #require(firstResponse), second = try #require(secondResponse)
            #expect(first.timings.cache == .miss)
            #expect(second.timings.cache == .hit)
            #expect(second.answer == first.answer)
            #expect(second.citations == first.citations)
            #expect(second.models == first.models)
            #expect(secondTokens == firstTokens)
            #expect(caches.answers.count == 1)
            #expect(caches.facts.count == 1)
            // Another question about the same backtest is computed (a miss), not confused with the first.
            let other = try await service.answer(QueryRequest(question: "What is the win rate?", backtestIds: [id]))
            #expect(other.timings.cache == .miss)
            #expect(other.citations.facts.contains { $0.intent == .winRate })
        }
    }

    @Test("Ollama with a fixed seed: replayed fragment by fragment without asking the model; without one, asked again")
    func ollamaHit() async throws {
        let reply = "Fridays lose the most [F1]. The worst trades cluster late in the day [D1]."
        let options = OllamaStubServer.Options(charactersPerToken: 6) { _ in reply }
        try await OllamaStubServer.withServer(options) { stub in
            try await QueryServiceTests.withIndexedBacktest { store, index, id in
                let models = ModelSelector.ollama(client: QueryServiceTests.ollamaClient(stub.url), logger: TestDatabase.logger)
                var service = QueryServiceTests.service(store: store, index: index, models: models)
                    .withCaches(QueryCaches())
                #expect(QueryService.isDeterministic(service.chatOptions))
                let request = QueryRequest(question: "Which weekday loses the most?", backtestIds: [id])
                let (firstTokens, firstResponse) = try await QueryServiceTests.collect(service.stream(request))
                let (secondTokens, secondResponse) = try await QueryServiceTests.collect(service.stream(request))
                let first = try #require(firstResponse), second = try #require(secondResponse)
                #expect(first.mode == .ollama && second.mode == .ollama)
                #expect(second.timings.cache == .hit)
                #expect(second.answer == reply)
                #expect(firstTokens.count > 1)
                #expect(secondTokens == firstTokens)
                #expect(second.citations == first.citations)
                #expect(stub.requests(to: "/api/chat").count == 1)

                service.chatOptions = ChatOptions(temperature: 0.7)
                let sampled = try await service.answer(request)
                let sampledAgain = try await service.answer(request)
                #expect(sampled.timings.cache == nil && sampledAgain.timings.cache == nil)
                #expect(stub.requests(to: "/api/chat").count == 3)
            }
        }
    }

    @Test("size 0: nothing is kept and every answer is computed")
    func disabled() async throws {
        try await QueryServiceTests.withIndexedBacktest { store, index, id in
            let caches = QueryCaches(configuration: .disabled)
            let service = Self.offlineService(store: store, index: index, caches: caches)
            let request = QueryRequest(question: "What was the largest loss?", backtestIds: [id])
            let first = try await service.answer(request)
            let second = try await service.answer(request)
            #expect(first.timings.cache == nil && second.timings.cache == nil)
            #expect(second.answer == first.answer)
            #expect(caches.answers.count == 0 && caches.facts.count == 0 && caches.retrievals.count == 0)
        }
    }

    @Test("a deleted backtest is not answered from the cache; re-ingested, the facts are the new backtest's")
    func deleteAndReingest() async throws {
        try await QueryServiceTests.withIndexedBacktest { store, index, id in
            let service = Self.offlineService(store: store, index: index)
            let scoped = QueryRequest(question: "What was the largest loss?", backtestIds: [id])
            let everything = QueryRequest(question: "What was the largest loss?")
            _ = try await service.answer(scoped)
            #expect(try await service.answer(scoped).timings.cache == .hit)
            let before = try await service.answer(everything)
            #expect(before.citations.facts.contains { $0.intent == .largestLoss && $0.backtestID == id })

            try await store.client.query("DELETE FROM backtests WHERE id = \(id)", logger: TestDatabase.logger)
            await #expect(throws: PipsightError.self) { try await service.answer(scoped) }

            let data = QueryServiceTests.generator.write(.reportJSON)
            let newID = try await store.ingest(ImportInput(name: "report.json", data: data)).backtestID
            #expect(newID != id)
            let after = try await service.answer(everything)
            #expect(after.timings.cache == .miss)
            let facts = after.citations.facts.filter { $0.intent == .largestLoss }
            #expect(!facts.isEmpty)
            #expect(facts.allSatisfy { $0.backtestID == newID })
        }
    }

    @Test("documents re-indexed by another process: the answer is computed again from them")
    func reindexedElsewhere() async throws {
        try await QueryServiceTests.withIndexedBacktest { store, index, id in
            let service = Self.offlineService(store: store, index: index)
            let request = QueryRequest(question: "Which cBot is this backtest and how did Fridays do?", backtestIds: [id])
            _ = try await service.answer(request)
            #expect(try await service.answer(request).timings.cache == .hit)

            // Another process (its own index, its own in-memory state) rebuilds the documents from changed content.
            let other = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: TestDatabase.logger)
            var content = try #require(try await BacktestContentReader(store: store).content(of: id))
            content.header.cBotName = "Renamed Breakout"
            let report = try await other.index(content: content)
            #expect(report.changed > 0)

            let after = try await service.answer(request)
            #expect(after.timings.cache == .miss)
            #expect(try await service.answer(request).timings.cache == .hit)
        }
    }

    @Test("cached facts follow the backtest's stored version: a rewritten backtest gives its new numbers")
    func factsFollowVersion() async throws {
        try await QueryServiceTests.withIndexedBacktest { store, _, id in
            let caches = QueryCaches()
            var builder = FactBuilder(source: store, logger: TestDatabase.logger)
            builder.cache = caches.facts
            let analysis = QuestionAnalyser().analyse("What was the largest loss?")
            let first = try #require(try await builder.facts(for: analysis, backtestIDs: [id]).first { $0.intent == .largestLoss })
            let loss = try #require(first.amount)
            #expect(loss < 0)
            #expect(caches.facts.count == 1)

            // Rewrite the trades and the backtest row in one transaction, as a re-ingest under the same id would.
            // (A re-ingest rewrites the trade columns stored at ingest as well; here they are dropped, so the new
            // facts come from the rewritten trade rows.)
            try await store.client.withTransaction(logger: TestDatabase.logger) { connection in
                try await connection.query(
                    "UPDATE trades SET net_profit = net_profit * 2 WHERE backtest_id = \(id)", logger: TestDatabase.logger)
                try await connection.query("DELETE FROM trade_columns WHERE backtest_id = \(id)", logger: TestDatabase.logger)
                try await connection.query("UPDATE backtests SET extra = extra WHERE id = \(id)", logger: TestDatabase.logger)
            }
            let second = try #require(try await builder.facts(for: analysis, backtestIDs: [id]).first { $0.intent == .largestLoss })
            #expect(second.amount == loss * 2)
            #expect(caches.facts.count == 2)
        }
    }
}
