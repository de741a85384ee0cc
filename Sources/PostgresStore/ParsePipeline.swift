import Dispatch
import Foundation
import Logging
import NIOCore
import PipsightCore

/// Runs a parser on a thread of its own, encodes its records for COPY on a second thread, and hands the finished
/// COPY chunks of its largest table over as they fill, so parsing, encoding and COPY overlap and the big table is
/// never held whole in memory. At most `depth` chunks wait in between: the encoder blocks (on its own thread, never
/// on the cooperative pool) until COPY catches up, and the parser in turn once eight batches of records wait for it.
final class ParsePipeline: @unchecked Sendable {
    // @unchecked: `cancelled`, `outcome` and `waiter` are only touched under `lock`; `rows` only by the encoder
    // thread until it publishes them through `outcome`.
    typealias Outcome = Result<(BacktestHeader, ExportRows), any Error>

    let chunks: AsyncThrowingStream<ByteBuffer, any Error>
    private let continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var cancelled = false
    private var outcome: Outcome?
    private var waiter: CheckedContinuation<(BacktestHeader, ExportRows), any Error>?
    /// Parsed records on their way from the parser thread to the encoder thread.
    private let records = RecordBatchQueue(depth: 8)

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

    /// Records per batch handed from the parser thread to the encoder thread.
    static let batchSize = 512

    /// Starts parsing on one new thread and encoding the records for COPY on another, so that the two overlap
    /// (on a machine with a core to spare, the encoding costs about as much as the parsing). Records keep their
    /// file order: they pass through one queue, in batches.
    func start(parser: any ExportParser, input: ImportInput, backtestID: UUID, format: ExportFormat, logger: Logger) {
        let queue = records
        let batchSize = Self.batchSize
        let parse = Thread {
            var batch: [ImportRecord] = []
            batch.reserveCapacity(batchSize)
            let outcome: Result<BacktestHeader, any Error>
            do {
                var header = try parser.parse(input, logger: logger) { record in
                    batch.append(record)
                    if batch.count == batchSize {
                        try queue.put(.batch(batch))
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                header.format = format
                if !batch.isEmpty { try queue.put(.batch(batch)) }
                outcome = .success(header)
            } catch {
                outcome = .failure(error)
            }
            // Throws only when the encoder has already stopped, and then nobody waits for the outcome.
            try? queue.put(.end(outcome))
        }
        parse.name = "pipsight-parse"
        let encode = Thread { [self] in
            var rows = ExportRows(backtestID: backtestID, columnsChunkSize: columnsChunkSize, memoryLimit: spillMemoryLimit)
            let table = streamedTable
            do {
                while true {
                    switch queue.take() {
                    case .batch(let batch):
                        for record in batch {
                            rows.append(record)
                            try rows.cutColumnChunk()
                        }
                        // The other tables' finished 1 MiB chunks move to their spill once per batch (not per
                        // record: a key-path access per table and record would cost more than the moving saves).
                        try rows.holdChunks(except: table)
                        for chunk in rows[keyPath: table].takeFinishedChunks() {
                            try hand(chunk)
                        }
                    case .end(let outcome):
                        let header = try outcome.get()
                        try rows.cutColumnChunk(final: true)
                        try rows.holdChunks(except: table, final: true)
                        for chunk in rows[keyPath: table].takeAllChunks() where chunk.readableBytes > 0 {
                            try hand(chunk)
                        }
                        continuation.finish()
                        complete(.success((header, rows)))
                        return
                    }
                }
            } catch {
                queue.abandon()
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
        encode.name = "pipsight-encode"
        parse.start()
        encode.start()
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
        records.abandon()
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
