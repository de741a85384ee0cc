import Foundation
import Logging
import PipsightCore
import Testing

@testable import Server

/// The background indexer on its own: a job whose index cannot be opened ends `failed` with the reason, and a
/// backtest never queued is `untracked`.
@Suite("BacktestIndexer")
struct BacktestIndexerTests {
    @Test("a failing job is reported as failed with its reason; an unqueued backtest is untracked")
    func failure() async throws {
        var logger = Logger(label: "test.indexer")
        logger.logLevel = .critical
        let indexer = BacktestIndexer(logger: logger) {
            throw PipsightError(.configuration, "no document index in this test")
        }
        let running = Task { try await indexer.run() }
        defer { running.cancel() }
        let id = UUID()
        let queued = await indexer.enqueue(id)
        #expect(queued.state == .pending)
        var status = await indexer.status(of: id)
        for _ in 0..<500 where status.state == .pending || status.state == .indexing {
            try await Task.sleep(for: .milliseconds(10))
            status = await indexer.status(of: id)
        }
        #expect(status.state == .failed)
        #expect(status.error == "no document index in this test")
        #expect(await indexer.status(of: UUID()).state == .untracked)
    }
}
