import ArgumentParser
import Foundation
import Logging
import VectorStore

/// `pipsight bench …`: the Swift side of the benchmarks under scripts/bench (which compare it with
/// reference tools measured in the same run).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks; run them through scripts/bench/*, which also measure the reference.",
        subcommands: [VectorsBench.self, QueryBench.self, EmbedBench.self, OllamaStubCommand.self]
    )
}

/// `pipsight bench vectors`: exact top-k over a float32 matrix file, single queries and one batch.
struct VectorsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Time exact top-k search (scripts/bench/vectors compares it with FAISS and numpy).",
        discussion: "Files: little-endian u32 rows, u32 dimension, then float32 values row-major; row i has id i."
    )

    @Option(help: "Matrix file of the indexed vectors.")
    var data: String

    @Option(help: "Matrix file of the queries.")
    var queries: String

    @Option(help: "Results per query.")
    var k: Int = 10

    @Option(help: "Threads for the search.")
    var threads: Int = 1

    @Option(help: "Timed repetitions (the median is reported).")
    var repeats: Int = 3

    @Option(help: "Storage: float32 or float16.")
    var elementType: String = "float32"

    @Flag(help: "Print the result as one JSON object (the only output format; kept for the script's call).")
    var json = false

    func validate() throws {
        guard ["float32", "float16"].contains(elementType) else { throw ValidationError("--element-type is float32 or float16") }
        guard k > 0 else { throw ValidationError("--k must be positive") }
    }

    func run() throws {
        var logger = Logger(label: "pipsight.bench.vectors")
        logger.logLevel = .warning
        let result = try VectorBenchmark.run(
            dataURL: URL(fileURLWithPath: data), queriesURL: URL(fileURLWithPath: queries), k: k, threads: threads,
            elementType: elementType == "float16" ? .float16 : .float32, repeats: repeats, logger: logger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
