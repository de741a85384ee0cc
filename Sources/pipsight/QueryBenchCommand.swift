import ArgumentParser
import Foundation
import Logging
import PipsightCore
import PipsightTesting
import PostgresStore
import RAG

/// `pipsight bench query`: query latency without a language model at a given document count (scripts/bench/query).
struct QueryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Time retrieval (offline embedder, vector + full text, fusion) and the offline answer path.",
        discussion: """
            Fills the database with generated report.json backtests (ingested and indexed) until it holds \
            --documents documents, then times --queries questions one at a time: vector search alone, full text \
            alone, hybrid retrieval, and the whole offline answer (facts, retrieval, extractive answer), without any \
            query cache. Prints one JSON object with p50/p99 in milliseconds, the answers also by question kind and \
            by part.
            """
    )

    @Option(help: "Documents the database must hold (backtests are generated until it does).")
    var documents: Int = 100_000

    @Option(help: "Trades per generated backtest.")
    var tradesPerBacktest: Int = 5_000

    @Option(help: "Timed questions per measurement.")
    var queries: Int = 400

    @Option(help: "Documents per answer (k).")
    var k: Int = 8

    @OptionGroup var database: DatabaseOptions

    struct Latency: Codable, Sendable {
        var p50: Double
        var p99: Double
        var mean: Double
        var max: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            func percentile(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
            }
            p50 = percentile(0.5)
            p99 = percentile(0.99)
            mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            max = sorted.last ?? 0
        }
    }

    struct Result: Codable, Sendable {
        var documents: Int
        var vectors: Int
        var backtests: Int
        var queries: Int
        var k: Int
        /// Milliseconds per question, by measurement (`hybrid.one_backtest`, `answer.all_backtests`, …).
        var latency: [String: Latency]
        /// The answers' milliseconds by question kind (`one_backtest.loss_streak`, …) and by part of the answer
        /// (`one_backtest.facts`, `.retrieval`, `.generation`, from `QueryResponse.timings`).
        var answerBreakdown: [String: Latency]
    }

    func run() async throws {
        let target = documents, perBacktest = tradesPerBacktest, count = queries, k = self.k
        let result = try await Terminal.run {
            try await database.withStore(label: "pipsight.bench.query") { store in
                try await Self.measure(store: store, documents: target, tradesPerBacktest: perBacktest, queries: count, k: k)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    static func measure(store: BacktestStore, documents target: Int, tradesPerBacktest: Int, queries: Int, k: Int) async throws -> Result {
        let index = try await DocumentIndex.open(store: store, embedder: OfflineEmbedder(), logger: store.logger)
        var seed: UInt64 = 1000
        while try await documentCount(store) < target {
            seed += 1
            let data = SampleGenerator(seed: seed, trades: tradesPerBacktest).write(.reportJSON)
            let outcome = try await store.ingest(ImportInput(name: "bench-\(seed).json", data: data))
            try await index.index(backtestID: outcome.backtestID)
            Terminal.error("bench: \(try await documentCount(store)) documents")
        }
        let backtests = try await store.list().map(\.id)
        let questions = Self.questions(count: queries, backtests: backtests)
        // The hashing embedder (not all-minilm) so that building 100k documents takes seconds: this measures the
        // retrieval stack; the built-in model's cost per question is measured by scripts/bench/embed.
        // No `withCaches`: no answer, retrieval, facts or question-vector cache, so every timed answer is computed
        // the whole way (the uncached path), as is every timed retrieval (the index is opened without an
        // embedding cache).
        let service = QueryService(
            facts: FactBuilder(source: store, logger: store.logger), retriever: index,
            models: .offlineOnly(reason: "benchmarking retrieval", logger: store.logger), logger: store.logger)
        var latency: [String: Latency] = [:]
        var breakdown: [String: Latency] = [:]
        for scope in ["one_backtest", "all_backtests"] {
            let scoped = questions.map { RetrievalQuery(text: $0.0, backtestIDs: scope == "one_backtest" ? [$0.1] : [], k: k) }
            for mode in RetrievalMode.allCases {
                // Warm-up, then timed runs.
                for query in scoped.prefix(10) { _ = try await index.retrieve(query, mode: mode) }
                var samples: [Double] = []
                for query in scoped {
                    let start = ContinuousClock.now
                    _ = try await index.retrieve(query, mode: mode)
                    samples.append(milliseconds(ContinuousClock.now - start))
                }
                latency["\(mode.rawValue).\(scope)"] = Latency(samples)
            }
            let requests = questions.map {
                QueryRequest(question: $0.0, backtestIds: scope == "one_backtest" ? [$0.1] : nil, k: k)
            }
            for request in requests.prefix(5) { _ = try await service.answer(request) }
            var samples: [Double] = []
            var parts: [String: [Double]] = [:]
            for (index, request) in requests.enumerated() {
                let start = ContinuousClock.now
                let response = try await service.answer(request)
                let elapsed = milliseconds(ContinuousClock.now - start)
                samples.append(elapsed)
                parts["\(scope).\(Self.kinds[index % Self.kinds.count])", default: []].append(elapsed)
                parts["\(scope).facts", default: []].append(response.timings.factsMs)
                parts["\(scope).retrieval", default: []].append(response.timings.retrievalMs)
                parts["\(scope).generation", default: []].append(response.timings.generationMs)
            }
            latency["answer.\(scope)"] = Latency(samples)
            for (name, values) in parts { breakdown[name] = Latency(values) }
        }
        return Result(documents: try await documentCount(store), vectors: index.vectors.count, backtests: backtests.count,
                      queries: queries, k: k, latency: latency, answerBreakdown: breakdown)
    }

    /// The kind of question `questions` asks at index `i` is `kinds[i % kinds.count]`.
    static let kinds = [
        "weekday", "hour_losers", "trade_id", "month_shorts", "loss_streak", "best_pass", "stop_loss_session",
        "holding_time",
    ]

    /// Deterministic questions of the kinds users ask, each with the backtest it is about.
    static func questions(count: Int, backtests: [UUID]) -> [(String, UUID)] {
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
        let months = ["January", "March", "June", "September", "November"]
        guard !backtests.isEmpty else { return [] }
        return (0..<count).map { i in
            let n = i * 7 + i / 8
            let weekday = weekdays[n % 5], month = months[n % 5]
            let text: String
            switch i % 8 {
            case 0: text = "How did \(weekday) trades do?"
            case 1: text = "Which trades opened in hour " + String(format: "%02d", n % 24) + " lost money?"
            case 2: text = "What happened in trade \(n % 4000 + 1)?"
            case 3: text = "Why did the short trades in \(month) lose?"
            case 4: text = "largest loss and the losing streak"
            case 5: text = "Which optimisation pass had the best net profit?"
            case 6: text = "trades closed by stop loss on \(weekday) in the London session"
            default: text = "show me winning long trades held more than \(n % 12 + 1) hours"
            }
            return (text, backtests[i % backtests.count])
        }
    }

    static func documentCount(_ store: BacktestStore) async throws -> Int {
        let rows = try await store.client.query("SELECT count(*)::integer FROM documents", logger: store.logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
