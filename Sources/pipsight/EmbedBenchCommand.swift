import ArgumentParser
import Foundation
import Logging
import MiniLM

/// `pipsight bench embed`: sentences per second of the built-in all-minilm for texts of a given token count, one
/// text per forward pass and in batches (the Swift side of scripts/bench/embed, which times numpy in the same run).
struct EmbedBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Time the built-in embedding model (scripts/bench/embed compares it with a numpy forward pass).")

    @Option(help: "Tokens per text, [CLS] and [SEP] included.")
    var tokens: Int = 32

    @Option(help: "Texts timed.")
    var count: Int = 256

    @Option(help: "Texts per batch in the batched run.")
    var batch: Int = 32

    @Option(help: "Threads per forward pass (default: OPENBLAS_NUM_THREADS when set, else the number of cores).")
    var threads: Int?

    @Option(help: "The dense layers' kernel: packed (weights packed once, AVX-512) or blas (OpenBLAS sgemm). Default: packed where the CPU has AVX-512F.")
    var kernel: MiniLMEncoder.Kernel = .automatic

    @Option(help: "The model folder (default: PIPSIGHT_MINILM_DIR, else .pipsight/models/all-minilm).")
    var model: String?

    struct Result: Encodable {
        var engine = "pipsight"
        /// The dense layers' kernel that ran (`packed` or `blas`).
        var kernel: String
        var tokens: Int
        var count: Int
        var batch: Int
        var threads: Int
        var loadSeconds: Double
        /// Sentences per second, one text per forward pass.
        var single: Double
        /// Sentences per second, `batch` texts per forward pass.
        var batched: Double
        /// Sentences per second through `embed` (tokenising real text of about `tokens` tokens, batched).
        var endToEnd: Double
        /// Sentences per second of this process's CPU time (all its threads), one text per pass and batched: what
        /// a busy shared machine distorts least (with one thread).
        var singleCPU: Double
        var batchedCPU: Double
        /// This core's measured float32 FMA peak (GFLOP per CPU-second), nil without AVX-512F.
        var fmaPeakGFLOPS: Double?
    }

    func validate() throws {
        guard (3...256).contains(tokens) else { throw ValidationError("--tokens is 3...256") }
        guard count > 0, batch > 0 else { throw ValidationError("--count and --batch must be positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let start = ContinuousClock.now
        let directory = model.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? MiniLMEmbeddingModel.locate()
        let threadCount = threads ?? ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }
            ?? MiniLMEncoder.defaultThreads
        let embedder = try MiniLMEmbeddingModel(directory: directory, threads: threadCount, kernel: kernel)
        let loadSeconds = Self.seconds(ContinuousClock.now - start)
        // Ids as scripts/bench/embed_ref.py builds them: [CLS], random word ids, [SEP].
        var state: UInt64 = 7
        func next() -> Int32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int32(1000 + (state >> 33) % 28000)
        }
        let sequences = (0..<count).map { _ in [101] + (0..<(tokens - 2)).map { _ in next() } + [102] }
        _ = embedder.encoder.encode(Array(sequences.prefix(2)))
        var clock = ContinuousClock.now
        var cpu = Self.cpuSeconds()
        for sequence in sequences { _ = embedder.encoder.encode([sequence]) }
        let single = Double(count) / Self.seconds(ContinuousClock.now - clock)
        let singleCPU = Double(count) / (Self.cpuSeconds() - cpu)
        clock = ContinuousClock.now
        cpu = Self.cpuSeconds()
        for first in stride(from: 0, to: count, by: batch) {
            _ = embedder.encoder.encode(Array(sequences[first..<min(count, first + batch)]))
        }
        let batched = Double(count) / Self.seconds(ContinuousClock.now - clock)
        let batchedCPU = Double(count) / (Self.cpuSeconds() - cpu)
        // Real text: trading sentences repeated to about `tokens` tokens each.
        let words = "the largest losing trade was a sell of euro opened on tuesday at noon and closed by its stop loss"
            .split(separator: " ")
        let texts = (0..<count).map { i in
            (0..<(tokens - 2)).map { words[($0 + i) % words.count] }.joined(separator: " ")
        }
        clock = ContinuousClock.now
        for first in stride(from: 0, to: count, by: batch) {
            _ = embedder.embedNow(Array(texts[first..<min(count, first + batch)]))
        }
        let endToEnd = Double(count) / Self.seconds(ContinuousClock.now - clock)
        let result = Result(kernel: embedder.encoder.kernel.rawValue, tokens: tokens, count: count, batch: batch, threads: embedder.encoder.threads, loadSeconds: loadSeconds, single: single,
                            batched: batched, endToEnd: endToEnd, singleCPU: singleCPU, batchedCPU: batchedCPU,
                            fmaPeakGFLOPS: MiniLMEncoder.measuredPeakGFLOPS())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    /// CPU time of this process so far (every thread), in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension MiniLMEncoder.Kernel: ExpressibleByArgument {}
