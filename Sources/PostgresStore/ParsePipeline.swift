import Dispatch
import Foundation
import Logging
import NIOCore
import PipsightCore

/// Runs a parser on a thread of its own and hands the finished COPY chunks of its largest table over as they
/// fill, so parsing and COPY overlap and the big table is never held whole in memory. At most `depth` chunks
/// wait in between: the parser blocks (on its own thread, never on the cooperative pool) until COPY catches up.
final class ParsePipeline: @unchecked Sendable {
    // @unchecked: `cancelled`, `outcome` and `waiter` are only touched under `lock`; `rows` only by the parser
    // thread until it publishes them through `outcome`.
    typealias Outcome = Result<(BacktestHeader, ExportRows), any Error>

    let chunks: AsyncThrowingStream<ByteBuffer, any Error>
    private let continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var cancelled = false
    private var outcome: Outcome?
    private var waiter: CheckedContinuation<(BacktestHeader, ExportRows), any Error>?

    /// The table whose chunks stream: events for events.json, trades for everything else.
    let streamedTable: any WritableKeyPath<ExportRows, CopyTextWriter> & Sendable

    /// Trades per `trade_columns` chunk, and the bytes of each `ChunkSpill` kept in memory before a file.
    private let columnsChunkSize: Int
    private let spillMemoryLimit: Int

    init(
        streamedTable: any WritableKeyPath<ExportRows, CopyTextWriter> & Sendable, depth: Int = 4,
        columnsChunkSize: Int = ExportRows.defaultColumnsChunkSize,
        spillMemoryLimit: Int = ChunkSpill.defaultMemoryLimit
    ) {
        self.streamedTable = streamedTable
        self.columnsChunkSize = columnsChunkSize
        self.spillMemoryLimit = spillMemoryLimit
        slots = DispatchSemaphore(value: depth)
        (chunks, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
    }

    private var isCancelled: Bool {
        lock.withLock { cancelled }
    }

    /// Starts parsing on a new thread.
    func start(parser: any ExportParser, input: ImportInput, backtestID: UUID, format: ExportFormat, logger: Logger) {
        let thread = Thread { [self] in
            var rows = ExportRows(backtestID: backtestID, columnsChunkSize: columnsChunkSize, memoryLimit: spillMemoryLimit)
            let table = streamedTable
            var records = 0
            do {
                var header = try parser.parse(input, logger: logger) { record in
                    rows.append(record)
                    try rows.cutColumnChunk()
                    // The other tables' finished 1 MiB chunks move to their spill now and then (not per record:
                    // a key-path access per table and record would cost more than the moving saves).
                    records &+= 1
                    if records & 1023 == 0 { try rows.holdChunks(except: table) }
                    for chunk in rows[keyPath: table].takeFinishedChunks() {
                        try hand(chunk)
                    }
                }
                header.format = format
                try rows.cutColumnChunk(final: true)
                try rows.holdChunks(except: table, final: true)
                for chunk in rows[keyPath: table].takeAllChunks() where chunk.readableBytes > 0 {
                    try hand(chunk)
                }
                continuation.finish()
                complete(.success((header, rows)))
            } catch {
                let located: any Error
                if let error = error as? PipsightError, error.location?.file == nil {
                    located = error.inFile(input.name)
                } else {
                    located = error
                }
                continuation.finish(throwing: located)
                complete(.failure(located))
            }
        }
        thread.name = "pipsight-parse"
        thread.start()
    }

    /// Waits for a free slot (COPY has taken an earlier chunk), then hands `chunk` over.
    private func hand(_ chunk: ByteBuffer) throws {
        while slots.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if isCancelled { throw CancellationError() }
        }
        if isCancelled { throw CancellationError() }
        continuation.yield(chunk)
    }

    /// COPY has sent one chunk: the parser may hand over another.
    func chunkSent() {
        slots.signal()
    }

    /// Stops the parser at its next record (the transaction failed or was not needed).
    func cancel() {
        lock.withLock { cancelled = true }
        slots.signal()
    }

    private func complete(_ result: Outcome) {
        let waiting: CheckedContinuation<(BacktestHeader, ExportRows), any Error>? = lock.withLock {
            if let waiter {
                self.waiter = nil
                return waiter
            }
            outcome = result
            return nil
        }
        waiting?.resume(with: result)
    }

    /// The header and the rows of the other tables, once the parser is done.
    func finish() async throws -> (BacktestHeader, ExportRows) {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Outcome? = lock.withLock {
                if let outcome { return outcome }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
