import Foundation

/// A piece of text built from a backtest's rows, indexed for vector and full-text search.
///
/// Ids are stable across rebuilds: `<backtest uuid>/<kind>/<key>` (e.g. `…/trade/123`, `…/weekday/tuesday`,
/// `…/day/2024-03-05`, `…/statistics`), so re-indexing replaces rather than duplicates.
public struct RAGDocument: Codable, Sendable, Hashable {
    public var id: String
    public var backtestID: UUID
    public var kind: DocumentKind
    /// A short heading (shown in citations).
    public var title: String
    /// The narrative that is embedded and searched.
    public var text: String
    /// Position ids of the trades the document talks about (for citations).
    public var tradeIDs: [String]
    /// Start of the covered time span (nil for documents without time).
    public var startTime: Date?
    /// End of the covered time span.
    public var endTime: Date?

    public init(id: String, backtestID: UUID, kind: DocumentKind, title: String, text: String,
                tradeIDs: [String] = [], startTime: Date? = nil, endTime: Date? = nil) {
        self.id = id
        self.backtestID = backtestID
        self.kind = kind
        self.title = title
        self.text = text
        self.tradeIDs = tradeIDs
        self.startTime = startTime
        self.endTime = endTime
    }

    /// The stable id of a document: `<backtest uuid>/<kind>[/<key>]`.
    public static func makeID(backtestID: UUID, kind: DocumentKind, key: String? = nil) -> String {
        let base = "\(backtestID.uuidString.lowercased())/\(kind.rawValue)"
        guard let key else { return base }
        return "\(base)/\(key)"
    }

    /// Title and text as one string: what is embedded and what full-text search sees.
    public var searchableText: String { "\(title)\n\(text)" }
}
