import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
import PostgresStore
import RAG
import Testing

@Suite("Document index in PostgreSQL")
struct DocumentIndexTests {
    typealias Support = RetrievalTestSupport

    @Test("indexing stores and embeds every document; indexing again changes nothing")
    func idempotent() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 3, trades: 40)
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            let first = try await index.index(backtestID: id)
            #expect(first.added == first.documents && first.documents > 40)
            #expect(first.embeddedDocuments == first.documents)
            let vectorRows = try await Support.count(store, "SELECT count(*)::integer FROM vector_rows")
            let version = try await Support.count(store, "SELECT version::integer FROM vector_state")
            #expect(vectorRows == first.embeddedChunks && index.vectors.count == vectorRows)

            let second = try await index.index(backtestID: id)
            #expect(second.unchanged == first.documents)
            #expect(second.added == 0 && second.changed == 0 && second.removed == 0 && second.embeddedDocuments == 0)
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM vector_rows") == vectorRows)
            #expect(try await Support.count(store, "SELECT version::integer FROM vector_state") == version)
            let all = try await index.reindexAll()
            #expect(all.unchanged == first.documents && all.embeddedDocuments == 0)

            // A fresh index loads the same vectors from PostgreSQL.
            let reopened = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            #expect(reopened.vectors.count == vectorRows)
            let stored = try await index.documents(backtestID: id, kind: .trade)
            #expect(stored.count == 40)
        }
    }

    @Test("a changed document loses its old vectors and is embedded again")
    func changedDocument() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 4, trades: 10)
            let reader = BacktestContentReader(store: store)
            var content = try #require(try await reader.content(of: id))
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            let first = try await index.index(content: content)
            content.trades[0].label = "relabelled"
            let second = try await index.index(content: content)
            #expect(second.changed == 1 && second.embeddedDocuments == 1)
            #expect(second.unchanged == first.documents - 1)
            #expect(index.vectors.count == first.embeddedChunks)
            content.trades.removeLast()
            let third = try await index.index(content: content)
            #expect(third.removed >= 1)
            let rows = try await Support.count(store, "SELECT count(*)::integer FROM vector_rows")
            #expect(rows == index.vectors.count)
        }
    }

    @Test("an embedding failure midway keeps the stored rows; the next run finishes the job")
    func failureMidway() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 5, trades: 30)
            let tradesBefore = try await Support.count(store, "SELECT count(*)::integer FROM trades")
            let configuration = DocumentIndexConfiguration(batchSize: 4, maxConcurrentBatches: 1)
            let failing = try await DocumentIndex.open(store: store, embedder: FailingEmbedder(failOnCall: 3),
                                                       configuration: configuration, logger: store.logger)
            await #expect(throws: PipsightError.self) { try await failing.index(backtestID: id) }
            let documents = try await Support.count(store, "SELECT count(*)::integer FROM documents")
            #expect(documents > 30)
            // Two batches of four single-chunk documents went through before the failure.
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM vector_rows") == 8)
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM document_embeddings") == 8)
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM trades") == tradesBefore)

            let working = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), configuration: configuration,
                                                       logger: store.logger)
            #expect(working.vectors.count == 8)
            let report = try await working.index(backtestID: id)
            #expect(report.embeddedDocuments == documents - 8)
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM document_embeddings") == documents)
        }
    }

    @Test("switching embedder embeds again in the new space and never mixes vectors of two models")
    func switchingEmbedder() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 6, trades: 12)
            let big = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            let report = try await big.index(backtestID: id)
            let small = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(dimension: 64), logger: store.logger)
            #expect(small.vectors.count == 0)
            let switched = try await small.embedPending()
            #expect(switched.embeddedDocuments == report.documents)
            #expect(small.vectors.count == report.embeddedChunks)
            let models = try await Support.count(store, "SELECT count(DISTINCT model)::integer FROM vector_rows")
            #expect(models == 2)
            let results = try await small.retrieve(RetrievalQuery(text: "Friday losses", k: 5))
            #expect(results.count == 5)
        }
    }

    @Test("a document longer than the chunk limit is stored as several vectors but retrieved once")
    func chunkedDocuments() async throws {
        try await TestDatabase.withStore { store, _ in
            let id = try await Support.ingestSample(store, seed: 8, trades: 20)
            let index = try await DocumentIndex.open(
                store: store, embedder: OfflineEmbedder(), configuration: DocumentIndexConfiguration(maxChunkCharacters: 120),
                logger: store.logger)
            let report = try await index.index(backtestID: id)
            #expect(report.embeddedChunks > report.embeddedDocuments)
            let results = try await index.retrieve(RetrievalQuery(text: "statistics of the run largest loss", backtestIDs: [id], k: 20))
            #expect(Set(results.map(\.document.id)).count == results.count)
            #expect(results.contains { $0.document.kind == .statistics })
        }
    }

    @Test("an unknown backtest is not_found")
    func unknownBacktest() async throws {
        try await TestDatabase.withStore { store, _ in
            let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
            let error = await #expect(throws: PipsightError.self) { try await index.index(backtestID: UUID()) }
            #expect(error?.code == .notFound)
        }
    }
}

@Suite("Document index trade limit")
struct DocumentIndexLimitTests {
    typealias Support = RetrievalTestSupport

    @Test("a backtest with more trades than maxIndexedTrades is refused with limit_exceeded and skipped by reindexAll")
    func tooManyTrades() async throws {
        try await TestDatabase.withStore { store, _ in
            let large = try await Support.ingestSample(store, seed: 5, trades: 12)
            let small = try await Support.ingestSample(store, seed: 6, trades: 8)
            let index = try await DocumentIndex.open(
                store: store, embedder: OfflineEmbedder(), configuration: DocumentIndexConfiguration(maxIndexedTrades: 10),
                logger: store.logger)
            await #expect { try await index.index(backtestID: large) } throws: { error in
                (error as? PipsightError)?.code == .limitExceeded
            }
            #expect(try await Support.count(store, "SELECT count(*)::integer FROM documents") == 0)
            let all = try await index.reindexAll()
            #expect(all.backtests == 1)
            #expect(try await index.documents(backtestID: small, kind: .trade).count == 8)
            #expect(try await index.documents(backtestID: large, kind: .trade).isEmpty)
            #expect(DocumentIndexConfiguration.fromEnvironment(["PIPSIGHT_INDEX_MAX_TRADES": "7"]).maxIndexedTrades == 7)
        }
    }
}
