import Foundation
import Logging
import PipsightCore

/// What to generate: from detection on the trades, or from a spec the trader wrote or edited.
public struct CBotOptions: Sendable, Hashable {
    /// The template; overrides the spec's when set.
    public var template: CBotTemplate?
    /// Find the rules on trades opened before this date and report on both parts.
    public var splitDate: Date?
    /// Generate from this spec instead of detecting rules.
    public var spec: StrategySpec?
    public var backtestID: UUID?
    /// The cBot name (default: the exported cBot name, else `Pipsight`).
    public var name: String?
    public var symbol: String?
    /// The position label (default: the label most trades carry).
    public var label: String?
    /// Account balance before the first trade.
    public var startingBalance: Decimal?

    public init(
        template: CBotTemplate? = nil, splitDate: Date? = nil, spec: StrategySpec? = nil, backtestID: UUID? = nil,
        name: String? = nil, symbol: String? = nil, label: String? = nil, startingBalance: Decimal? = nil
    ) {
        self.template = template
        self.splitDate = splitDate
        self.spec = spec
        self.backtestID = backtestID
        self.name = name
        self.symbol = symbol
        self.label = label
        self.startingBalance = startingBalance
    }
}

/// The generated cBot, the spec it was generated from, and the what-if report.
public struct CBotResult: Codable, Sendable, Hashable {
    /// C# source.
    public var source: String
    public var spec: StrategySpec
    public var report: WhatIfReport
    /// `report` as Markdown.
    public var reportMarkdown: String
}

/// Detection, spec, C# and what-if in one call: what `pipsight cbot` and `POST /v1/backtests/{id}/cbot` run.
public struct CBotGenerator: Sendable {
    public var detector: PatternDetector
    let renderer: CBotRenderer
    let logger: Logger

    public init(configuration: PatternDetector.Configuration = .init(), logger: Logger) throws {
        detector = PatternDetector(configuration: configuration, logger: logger)
        renderer = try CBotRenderer()
        self.logger = logger
    }

    /// Generates from `trades` (and optimisation `passes`) as `options` say.
    public func generate(trades: [Trade], passes: [OptimisationPass] = [], options: CBotOptions) throws -> CBotResult {
        let splitDate = options.splitDate ?? options.spec?.source?.splitDate
        var spec: StrategySpec
        if let given = options.spec {
            spec = given
            try spec.validate()
        } else {
            let found = try detectionTrades(trades, splitDate: splitDate)
            spec = detector.detect(trades: found, passes: passes, base: baseSpec(trades: trades, options: options, splitDate: splitDate))
        }
        if let template = options.template { spec.template = template }
        if splitDate != nil, !trades.isEmpty, !trades.contains(where: { $0.openTime >= (splitDate ?? .distantFuture) }) {
            throw PipsightError(.badRequest, "no trade was opened on or after the split date: nothing to check the rules on")
        }
        let source = try renderer.render(spec)
        let report = WhatIfReport.build(spec: spec, trades: trades, startingBalance: options.startingBalance, splitDate: splitDate)
        let title = CSharp.commentText(spec.name) + (spec.symbol.map { " on " + CSharp.commentText($0) } ?? "")
        return CBotResult(source: source, spec: spec, report: report, reportMarkdown: report.markdown(title: title))
    }

    private func detectionTrades(_ trades: [Trade], splitDate: Date?) throws -> [Trade] {
        guard let splitDate else { return trades }
        let before = trades.filter { $0.openTime < splitDate }
        guard !before.isEmpty || trades.isEmpty else {
            throw PipsightError(.badRequest, "no trade was opened before the split date: nothing to find rules on")
        }
        return before
    }

    private func baseSpec(trades: [Trade], options: CBotOptions, splitDate: Date?) -> StrategySpec {
        let labels = Dictionary(grouping: trades.compactMap(\.label).filter { !$0.isEmpty }, by: { $0 })
        let commonLabel = labels.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }?.key
        let volumes = trades.compactMap { $0.volume?.double }.filter { $0 > 0 }
        let volume = PatternDetector.quantile(volumes, 0.5) ?? 10_000
        let symbol = options.symbol ?? trades.lazy.compactMap(\.symbol).first
        return StrategySpec(
            name: options.name ?? "Pipsight", symbol: symbol, label: options.label ?? commonLabel ?? "Pipsight",
            template: options.template ?? .filter, volumeInUnits: volume.rounded(),
            source: SpecSource(backtestID: options.backtestID, trades: trades.count, firstOpen: nil, lastOpen: nil, splitDate: splitDate))
    }
}
