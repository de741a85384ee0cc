import Foundation

/// A document as the question index stores it (`documents` table), for `GET /v1/documents?id=`: what a
/// citation of an answer points to.
public struct StoredDocument: Sendable, Hashable, Codable {
    /// `<backtest uuid>/<kind>[/<key>]`.
    public var id: String
    public var backtestId: UUID
    public var kind: String
    public var title: String
    public var body: String
    /// Position ids of the trades the document talks about.
    public var tradeIds: [String]
    public var timeStart: Date?
    public var timeEnd: Date?

    public init(
        id: String, backtestId: UUID, kind: String, title: String, body: String, tradeIds: [String],
        timeStart: Date?, timeEnd: Date?
    ) {
        self.id = id
        self.backtestId = backtestId
        self.kind = kind
        self.title = title
        self.body = body
        self.tradeIds = tradeIds
        self.timeStart = timeStart
        self.timeEnd = timeEnd
    }
}
