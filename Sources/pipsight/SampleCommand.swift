import ArgumentParser
import Foundation
import PipsightCore
import PipsightTesting

/// `pipsight sample`: write a realistic export of any format, with known ground truth.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a sample cTrader export (any format) generated from a seed, for trying Pipsight out.",
        discussion: "The same seed gives the same bytes. --ground-truth writes what the sample contains (counts, sums) as JSON."
    )

    @Option(help: "Export format (\(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))).")
    var format: ExportFormat

    @Option(help: "Number of positions.")
    var trades: Int = 200

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Symbol.")
    var symbol: String = "EURUSD"

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @Option(help: "History CSV dialect: standard, european (; and decimal comma), excel (UTF-16 LE, tab).")
    var csvDialect: CSVDialectChoice = .standard

    @Option(help: ".cbotset style: xml or json.")
    var cbotsetStyle: String = "xml"

    @Option(help: "Also write the ground truth of the sample as JSON to this file.")
    var groundTruth: String?

    enum CSVDialectChoice: String, ExpressibleByArgument, CaseIterable {
        case standard, european, excel
    }

    func validate() throws {
        guard trades >= 0 else { throw ValidationError("--trades must be 0 or more") }
        guard ["xml", "json"].contains(cbotsetStyle) else { throw ValidationError("--cbotset-style is xml or json") }
    }

    func run() throws {
        let generator = SampleGenerator(seed: seed, trades: trades, symbol: symbol)
        var options = SampleGenerator.WriteOptions()
        switch csvDialect {
        case .standard: break
        case .european: options.csv = .european
        case .excel: options.csv = .excelUnicode
        }
        options.cbotset = cbotsetStyle == "json" ? .json : .xml
        if let output {
            try generator.write(format, options: options, to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(generator.write(format, options: options))
        }
        if let groundTruth {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(generator.groundTruth).write(to: URL(fileURLWithPath: groundTruth))
        }
    }
}
