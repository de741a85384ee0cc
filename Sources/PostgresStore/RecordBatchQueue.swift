import Foundation
import PipsightCore

/// Hands batches of parsed records from the parser thread to the encoder thread of a `ParsePipeline`, in order,
/// holding at most `depth` batches: the parser blocks when the encoder falls behind. Either side can stop the
/// other: the parser by putting its outcome (``Item/end(_:)``), the encoder by ``abandon()``, after which the
/// parser's next ``put(_:)`` throws `CancellationError`.
final class RecordBatchQueue: @unchecked Sendable {
    // @unchecked: `items` and `abandoned` are only touched with `condition` locked.
    enum Item {
        /// Records in file order.
        case batch([ImportRecord])
        /// The parser is done: its header, or the error it stopped with.
        case end(Result<BacktestHeader, any Error>)
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var abandoned = false
    private let depth: Int

    init(depth: Int) {
        self.depth = max(depth, 1)
    }

    /// Appends `item`, waiting while `depth` batches are queued; throws once the encoder has abandoned the queue.
    func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth, !abandoned { condition.wait() }
        if abandoned { throw CancellationError() }
        items.append(item)
        condition.broadcast()
    }

    /// The oldest item, waiting until there is one; once the queue is abandoned, an end with `CancellationError`.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty, !abandoned { condition.wait() }
        if abandoned { return .end(.failure(CancellationError())) }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The pipeline stops (the encoder failed, or the ingest was cancelled): queued batches are dropped, the parser's
    /// next `put` throws and the encoder's next `take` ends.
    func abandon() {
        condition.lock()
        abandoned = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
