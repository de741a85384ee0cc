import Foundation
import Logging
import PipsightCore

/// Reads optimisation results (`.optres`, JSON, from `ctrader-cli optimize --optres`).
///
/// - Header: `startingCapital` from `backtestingSettings`, the testing period from `testingPeriod`
///   (epoch ms or ISO 8601), and `backtestingSettings`, `criteria` and `optimizationMethod` kept whole
///   in `reportedStatistics`. Other top-level keys (`cpuCores`, …) and the keys of `results` other than
///   `passes` (`elapsedTime`, …) go to `extra`.
/// - One `.parameter` per `parameters[]` entry (min/max/step/values as text, `metadata.friendlyName`,
///   `metadata.groupName`).
/// - One `.pass` per `results.passes[]`, the pass kept whole in `raw`. `maxEquityDrawdownPercent` is a
///   fraction in this file (0.12 = 12 %) and is stored as such in `maxEquityDrawdownFraction`.
///   A pass's `parameters` (object or array of `{name, value}`), when present, fill `pass.parameters`.
///   A pass without `passId` (or `id`) is numbered by its position, from 1.
public struct OptresParser: ExportParser {
    /// Always `.optres`.
    public var format: ExportFormat { .optres }

    /// Creates a parser; it holds no state, so one value can parse many files, concurrently too.
    public init() {}

    private static let topLevelKeys: Set<String> = [
        "backtestingSettings", "testingPeriod", "criteria", "optimizationMethod", "parameters", "results",
        "symbol", "period", "cBotName",
    ]

    public func parse(
        _ input: ImportInput, logger: Logger, emit: (ImportRecord) throws -> Void
    ) throws -> BacktestHeader {
        let file = input.name
        try input.limits.checkFile(input)
        let bytes = try JSONInputText.utf8Bytes(of: input)
        let document = try JSONByteParser.withParser(bytes, file: file, limits: input.limits) { try $0.parseDocument() }
        guard let root = document.object else {
            throw PipsightError(
                .wrongType, "expected an optimisation results object, got \(document.shortDescription)",
                location: ErrorLocation(file: file, line: 1)
            )
        }
        let reader = JSONFieldReader(root, path: "", file: file)
        var header = BacktestHeader(format: .optres)
        header.symbol = try reader.string("symbol")
        header.period = try reader.string("period")
        header.cBotName = try reader.string("cBotName")
        if let settings = try reader.nested("backtestingSettings") {
            header.startingCapital = try settings.decimal("startingCapital")
            header.symbol = try header.symbol ?? settings.string("symbol")
            header.period = try header.period ?? settings.string("period")
        }
        if let period = try reader.nested("testingPeriod") {
            header.testingStart = try period.epochDate("startDate")
            header.testingEnd = try period.epochDate("endDate")
        }
        var statistics: [String: JSONValue] = [:]
        for key in ["backtestingSettings", "criteria", "optimizationMethod"] {
            if let value = root[key] { statistics[key] = value.jsonValue }
        }
        header.reportedStatistics = statistics.isEmpty ? nil : .object(statistics)
        header.extra = root.extra(excluding: Self.topLevelKeys)

        if let parameters = root["parameters"] {
            for parameter in try JSONParameterList.parameters(in: parameters, path: "parameters", file: file, line: nil) {
                try emit(.parameter(parameter))
            }
        }
        var passCount = 0
        if let results = try reader.nested("results") {
            let resultsExtra = results.object.extra(excluding: ["passes"])
            if !resultsExtra.isEmpty { header.extra["results"] = .object(resultsExtra) }
            if let passes = results.value("passes") {
                guard let array = passes.array else {
                    throw results.wrongType("passes", expected: "an array", got: passes)
                }
                for (index, node) in array.enumerated() {
                    try emit(.pass(try Self.pass(node, index: index, file: file)))
                    passCount += 1
                }
            }
        }
        logger.debug("read optimisation results", metadata: ["import.file": "\(file)", "import.passes": "\(passCount)"])
        return header
    }

    static func pass(_ node: JSONNode, index: Int, file: String) throws -> OptimisationPass {
        let path = "results.passes[\(index)]"
        guard let object = node.object else {
            throw PipsightError(
                .wrongType, "expected a pass object, got \(node.shortDescription)",
                location: ErrorLocation(file: file, path: path)
            )
        }
        let reader = JSONFieldReader(object, path: path, file: file)
        let passId = try reader.int64("passId") ?? reader.int64("id") ?? Int64(index + 1)
        var pass = OptimisationPass(passId: passId, raw: node.jsonValue)
        pass.status = try reader.string("status")
        pass.equity = try reader.decimal("equity")
        pass.netProfit = try reader.decimal("netProfit")
        pass.trades = try reader.int64("trades")
        pass.winningTrades = try reader.int64("winningTrades")
        pass.profitFactor = try reader.double("profitFactor")
        pass.averageTrade = try reader.decimal("averageTrade")
        pass.maxEquityDrawdownAbsolute = try reader.decimal("maxEquityDrawdownAbsolute")
        pass.maxEquityDrawdownFraction = try reader.double("maxEquityDrawdownPercent")
        if let parameters = reader.value("parameters") {
            pass.parameters = try JSONParameterList.values(
                in: parameters, path: JSONFieldReader.join(path, "parameters"), file: file, line: reader.line
            )
        }
        return pass
    }
}
