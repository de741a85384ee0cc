import Crypto
import CTraderImport
import Foundation
import Logging
import PipsightCore
import PostgresNIO

/// Stores parsed exports in PostgreSQL and reads them back. One file is one transaction: a file that fails,
/// or a process killed mid-file, leaves nothing of it behind; other files are not affected.
public struct BacktestStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    /// Test hook: runs after the first COPY chunk of a file is sent, inside its transaction.
    public var afterFirstCopyChunk: (@Sendable () async throws -> Void)?

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Hex SHA-256 of the bytes: the identity of a source file.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The id of the backtest stored from exactly these bytes, if any.
    public func existingBacktest(sha256: String) async throws -> UUID? {
        try await database("looking up a source file") {
            let rows = try await client.query("SELECT id FROM backtests WHERE source_sha256 = \(sha256)", logger: logger)
            for try await id in rows.decode(UUID.self) { return id }
            return nil
        }
    }

    /// Parses `input` (detecting its format unless `format` is given) and stores it in one transaction.
    /// The same bytes twice give `.alreadyIngested` and write nothing.
    public func ingest(_ input: ImportInput, format: ExportFormat? = nil, runID: UUID? = nil) async throws -> IngestOutcome {
        guard !input.data.isEmpty else {
            throw PipsightError(.emptyInput, "the file is empty", location: ErrorLocation(file: input.name))
        }
        let sha = Self.sha256Hex(input.data)
        if let id = try await existingBacktest(sha256: sha) {
            logger.info("already ingested", metadata: ["file": "\(input.name)", "backtest.id": "\(id)"])
            return .alreadyIngested(id: id)
        }
        let detected = try format ?? FormatDetector().detect(input)
        let parser = FormatDetector.parser(for: detected)
        let id = UUID()
        let parseStart = ContinuousClock.now
        var rows = ExportRows(backtestID: id)
        var header: BacktestHeader
        do {
            header = try parser.parse(input, logger: logger) { rows.append($0) }
        } catch let error as PipsightError {
            throw error.location?.file == nil ? error.inFile(input.name) : error
        }
        header.format = detected
        let parseSeconds = (ContinuousClock.now - parseStart).seconds
        let storeStart = ContinuousClock.now
        let inserted = try await store(header: header, rows: rows, id: id, input: input, sha: sha, runID: runID)
        guard inserted else {
            // Another ingest stored the same bytes between our lookup and our insert.
            guard let existing = try await existingBacktest(sha256: sha) else {
                throw PipsightError(.database, "the file was stored concurrently but cannot be found")
            }
            return .alreadyIngested(id: existing)
        }
        let result = IngestedBacktest(
            id: id, format: detected, trades: rows.trades.rowCount, deals: rows.deals.rowCount,
            events: rows.events.rowCount, parameters: rows.parameters.rowCount, passes: rows.passes.rowCount,
            parseSeconds: parseSeconds, storeSeconds: (ContinuousClock.now - storeStart).seconds)
        logger.info("ingested", metadata: [
            "file": "\(input.name)", "backtest.id": "\(id)", "format": "\(detected)", "rows": "\(result.rows)",
            "parse.seconds": "\(result.parseSeconds)", "store.seconds": "\(result.storeSeconds)",
        ])
        return .ingested(result)
    }

    /// Inserts the backtest row and COPYs its rows in one transaction; false if the source was already there.
    private func store(
        header: BacktestHeader, rows: ExportRows, id: UUID, input: ImportInput, sha: String, runID: UUID?
    ) async throws -> Bool {
        let logger = self.logger
        let hook = afterFirstCopyChunk
        let statistics = header.reportedStatistics.map { $0.jsonText() }
        let extra = JSONValue.object(header.extra).jsonText()
        let size = Int64(input.data.count)
        return try await database("storing \(input.name)") {
            try await client.withTransaction(logger: logger) { connection in
                let insert = try await connection.query(
                    """
                    INSERT INTO backtests (
                        id, source_sha256, source_name, source_size, format, symbol, period, cbot_name, broker,
                        deposit_asset, account_type, leverage, starting_capital, ending_balance, ending_equity,
                        net_profit, testing_start, testing_end, utc_offset_seconds, reported_statistics, extra,
                        trade_count, event_count, parameter_count, pass_count, ingest_run_id)
                    VALUES (
                        \(id), \(sha), \(input.name), \(size), \(header.format.rawValue), \(header.symbol),
                        \(header.period), \(header.cBotName), \(header.broker), \(header.depositAsset),
                        \(header.accountType), \(header.leverage), \(header.startingCapital), \(header.endingBalance),
                        \(header.endingEquity), \(header.netProfit), \(header.testingStart), \(header.testingEnd),
                        \(header.utcOffsetSeconds), \(statistics)::jsonb, \(extra)::jsonb,
                        \(rows.trades.rowCount), \(rows.events.rowCount), \(rows.parameters.rowCount),
                        \(rows.passes.rowCount), \(runID))
                    ON CONFLICT (source_sha256) DO NOTHING
                    RETURNING id
                    """, logger: logger)
                var insertedRow = false
                for try await _ in insert.decode(UUID.self) { insertedRow = true }
                guard insertedRow else { return false }
                var firstChunk = true
                let tables: [(String, [String], CopyTextWriter)] = [
                    ("trades", ExportRows.tradeColumns, rows.trades),
                    ("deals", ExportRows.dealColumns, rows.deals),
                    ("events", ExportRows.eventColumns, rows.events),
                    ("parameters", ExportRows.parameterColumns, rows.parameters),
                    ("optimisation_passes", ExportRows.passColumns, rows.passes),
                ]
                for (table, columns, writer) in tables where writer.rowCount > 0 {
                    try await connection.copyFrom(table: table, columns: columns, logger: logger) { copy in
                        for chunk in writer.allChunks {
                            try await copy.write(chunk)
                            if firstChunk, let hook {
                                firstChunk = false
                                try await hook()
                            }
                        }
                    }
                }
                return true
            }
        }
    }

    /// Every stored backtest, oldest first.
    public func list() async throws -> [BacktestSummary] {
        try await summaries(where: nil)
    }

    /// One stored backtest, or nil.
    public func summary(id: UUID) async throws -> BacktestSummary? {
        try await summaries(where: id).first
    }

    /// One stored backtest with its reported statistics and parameters, or nil.
    public func detail(id: UUID) async throws -> BacktestDetail? {
        guard let summary = try await summary(id: id) else { return nil }
        return try await database("reading backtest \(id)") {
            var statistics: JSONValue?
            var extra = JSONValue.object([:])
            let decoder = JSONDecoder()
            let headerRows = try await client.query(
                "SELECT reported_statistics::text, extra::text FROM backtests WHERE id = \(id)", logger: logger)
            for try await (statisticsText, extraText) in headerRows.decode((String?, String).self) {
                statistics = try statisticsText.map { try decoder.decode(JSONValue.self, from: Data($0.utf8)) }
                extra = try decoder.decode(JSONValue.self, from: Data(extraText.utf8))
            }
            var parameters: [Parameter] = []
            let parameterRows = try await client.query(
                """
                SELECT name, value, optimize, min, max, step, friendly_name, group_name
                FROM parameters WHERE backtest_id = \(id) ORDER BY seq
                """, logger: logger)
            for try await (name, value, optimize, min, max, step, friendly, group) in parameterRows.decode(
                (String, String?, Bool?, String?, String?, String?, String?, String?).self
            ) {
                parameters.append(Parameter(
                    name: name, value: value, optimize: optimize, min: min, max: max, step: step,
                    friendlyName: friendly, groupName: group))
            }
            return BacktestDetail(summary: summary, reportedStatistics: statistics, extra: extra, parameters: parameters)
        }
    }

    private func summaries(where id: UUID?) async throws -> [BacktestSummary] {
        try await database("listing backtests") {
            let rows = try await client.query(
                """
                SELECT b.id, b.source_name, b.source_sha256, b.format, b.symbol, b.period, b.cbot_name,
                       b.deposit_asset, b.starting_capital, b.testing_start, b.testing_end, b.trade_count,
                       b.event_count, b.parameter_count, b.pass_count, t.net, COALESCE(t.winners, 0),
                       t.first_open, t.last_close, b.created_at
                FROM backtests b
                LEFT JOIN LATERAL (
                    SELECT sum(net_profit) AS net, count(*) FILTER (WHERE net_profit > 0)::integer AS winners,
                           min(open_time) AS first_open, max(close_time) AS last_close
                    FROM trades WHERE backtest_id = b.id
                ) t ON true
                WHERE \(id)::uuid IS NULL OR b.id = \(id)
                ORDER BY b.created_at, b.id
                """, logger: logger)
            var result: [BacktestSummary] = []
            for try await row in rows.decode(
                (UUID, String, String, String, String?, String?, String?, String?, Decimal?, Date?, Date?, Int, Int, Int,
                 Int, Decimal?, Int, Date?, Date?, Date).self
            ) {
                result.append(BacktestSummary(
                    id: row.0, sourceName: row.1, sourceSHA256: row.2, format: row.3, symbol: row.4, period: row.5,
                    cBotName: row.6, depositAsset: row.7, startingCapital: row.8, testingStart: row.9,
                    testingEnd: row.10, tradeCount: row.11, eventCount: row.12, parameterCount: row.13,
                    passCount: row.14, netProfit: row.15, winningTrades: row.16, firstTradeOpen: row.17,
                    lastTradeClose: row.18, createdAt: row.19))
            }
            return result
        }
    }

    /// Runs `body`, turning a database failure into a `database_error` that says what was being done.
    @discardableResult
    func database<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        try await databaseOperation(doing, body)
    }
}
