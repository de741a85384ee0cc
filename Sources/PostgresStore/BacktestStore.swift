import Analytics
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
    /// Trades per stored `trade_columns` chunk (tests set a small one to cross chunk boundaries).
    public var tradeColumnsChunkSize = ExportRows.defaultColumnsChunkSize
    /// Bytes of `trade_columns` chunks, and of each table's COPY text waiting for the streamed table's COPY,
    /// kept in memory during an ingest before the rest go to a temporary file (tests set 0 to use the file).
    public var spillMemoryLimit = ChunkSpill.defaultMemoryLimit

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Hex SHA-256 of the bytes: the identity of a source file.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of an input, read in slices so that a mapped file's pages are handed back as they are hashed.
    public static func sha256Hex(_ input: ImportInput) -> String {
        guard input.mapping != nil else { return sha256Hex(input.data) }
        var hasher = SHA256()
        input.data.withUnsafeBytes { raw in
            let slice = 8 << 20
            var offset = 0
            while offset < raw.count {
                let part = UnsafeRawBufferPointer(rebasing: raw[offset..<min(offset + slice, raw.count)])
                hasher.update(bufferPointer: part)
                offset += part.count
                if let base = raw.baseAddress { input.releasePages(before: base + offset) }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
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
        let sha = Self.sha256Hex(input)
        if let id = try await existingBacktest(sha256: sha) {
            logger.info("already ingested", metadata: ["file": "\(input.name)", "backtest.id": "\(id)"])
            return .alreadyIngested(id: id)
        }
        let detected = try format ?? FormatDetector().detect(input)
        let parser = FormatDetector.parser(for: detected)
        let id = UUID()
        let start = ContinuousClock.now
        let pipeline = ParsePipeline(
            streamedTable: detected == .eventsJSON ? \ExportRows.events : \ExportRows.trades,
            columnsChunkSize: tradeColumnsChunkSize, spillMemoryLimit: spillMemoryLimit)
        pipeline.start(parser: parser, input: input, backtestID: id, format: detected, logger: logger)
        let stored: ExportRows?
        do {
            stored = try await store(pipeline: pipeline, id: id, format: detected, input: input, sha: sha, runID: runID)
        } catch {
            pipeline.cancel()
            throw error
        }
        guard let rows = stored else {
            // Another ingest stored the same bytes between our lookup and our insert.
            guard let existing = try await existingBacktest(sha256: sha) else {
                throw PipsightError(.database, "the file was stored concurrently but cannot be found")
            }
            return .alreadyIngested(id: existing)
        }
        let result = IngestedBacktest(
            id: id, format: detected, trades: rows.trades.rowCount, deals: rows.deals.rowCount,
            events: rows.events.rowCount, parameters: rows.parameters.rowCount, passes: rows.passes.rowCount,
            seconds: (ContinuousClock.now - start).seconds)
        logger.info("ingested", metadata: [
            "file": "\(input.name)", "backtest.id": "\(id)", "format": "\(detected)", "rows": "\(result.rows)",
            "seconds": "\(result.seconds)",
        ])
        return .ingested(result)
    }

    /// In one transaction: inserts the backtest row, COPYs the streamed table while the parser runs, then
    /// fills in the header and COPYs the other tables. Returns the rows, or nil if the source was already there.
    private func store(
        pipeline: ParsePipeline, id: UUID, format: ExportFormat, input: ImportInput, sha: String, runID: UUID?
    ) async throws -> ExportRows? {
        let logger = self.logger
        let hook = afterFirstCopyChunk
        let size = Int64(input.data.count)
        return try await database("storing \(input.name)") {
            try await client.withTransaction(logger: logger) { connection -> ExportRows? in
                let insert = try await connection.query(
                    """
                    INSERT INTO backtests (id, source_sha256, source_name, source_size, format, ingest_run_id)
                    VALUES (\(id), \(sha), \(PostgresText.text(input.name)), \(size), \(format.rawValue), \(runID))
                    ON CONFLICT (source_sha256) DO NOTHING
                    RETURNING id
                    """, logger: logger)
                var insertedRow = false
                for try await _ in insert.decode(UUID.self) { insertedRow = true }
                guard insertedRow else {
                    pipeline.cancel()
                    return nil
                }
                var firstChunk = true
                let streamed = pipeline.streamedTable
                let (streamedName, streamedColumns) = ExportRows.table(streamed)
                try await connection.copyFrom(table: streamedName, columns: streamedColumns, logger: logger) { copy in
                    for try await chunk in pipeline.chunks {
                        try await copy.write(chunk)
                        pipeline.chunkSent()
                        if firstChunk, let hook {
                            firstChunk = false
                            try await hook()
                        }
                    }
                }
                let (header, rows) = try await pipeline.finish()
                let statistics = header.reportedStatistics.map(PostgresText.json)
                let extra = PostgresText.json(.object(header.extra))
                let symbol = PostgresText.text(header.symbol), period = PostgresText.text(header.period)
                let cBotName = PostgresText.text(header.cBotName), broker = PostgresText.text(header.broker)
                let depositAsset = PostgresText.text(header.depositAsset)
                let accountType = PostgresText.text(header.accountType)
                try await connection.query(
                    """
                    UPDATE backtests SET
                        symbol = \(symbol), period = \(period), cbot_name = \(cBotName),
                        broker = \(broker), deposit_asset = \(depositAsset),
                        account_type = \(accountType), leverage = \(header.leverage),
                        starting_capital = \(header.startingCapital), ending_balance = \(header.endingBalance),
                        ending_equity = \(header.endingEquity), net_profit = \(header.netProfit),
                        testing_start = \(header.testingStart), testing_end = \(header.testingEnd),
                        utc_offset_seconds = \(header.utcOffsetSeconds), reported_statistics = \(statistics)::jsonb,
                        extra = \(extra)::jsonb, trade_count = \(rows.trades.rowCount),
                        event_count = \(rows.events.rowCount), parameter_count = \(rows.parameters.rowCount),
                        pass_count = \(rows.passes.rowCount)
                    WHERE id = \(id)
                    """, logger: logger)
                if rows.hasColumns {
                    let spill = rows.columnChunks
                    for (index, chunk) in spill.chunks.enumerated() {
                        let data = try spill.data(at: chunk.place)
                        try await connection.query(
                            """
                            INSERT INTO trade_columns (backtest_id, chunk, version, trade_count, data)
                            VALUES (\(id), \(index), \(Int(TradeColumns.storageVersion)), \(chunk.rows), \(data))
                            """, logger: logger)
                    }
                }
                for (index, table) in ExportRows.tables.enumerated() where table != streamed {
                    guard rows[keyPath: table].rowCount > 0 else { continue }
                    let held = rows.heldChunks[index]
                    let (name, columns) = ExportRows.table(table)
                    try await connection.copyFrom(table: name, columns: columns, logger: logger) { copy in
                        for chunk in held.chunks {
                            try await copy.write(try held.data(at: chunk.place))
                        }
                    }
                }
                return rows
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
