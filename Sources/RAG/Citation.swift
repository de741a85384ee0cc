import Foundation

/// A retrieved document an answer drew on.
public struct CitedDocument: Codable, Sendable, Hashable {
    /// The reference used in the prompt and the answer (`D1`).
    public var ref: String
    public var id: String
    public var backtestId: UUID
    public var kind: String
    public var title: String
    public var tradeIds: [String]
    /// The fused retrieval score.
    public var score: Double
    /// True when the answer mentions `ref`.
    public var cited: Bool
    /// Found by hybrid retrieval (among its top k).
    public var retrieved: Bool
    /// Linked to a fact or named by the question (`trade 42`, `2024-03-05`) rather than searched for.
    public var linked: Bool
}

/// Everything an answer rests on: the facts (with the query each came from), the documents and the trades.
public struct Citations: Codable, Sendable, Hashable {
    public var facts: [Fact]
    public var documents: [CitedDocument]
    /// Position ids of the trades named by the facts and the documents (first 100).
    public var tradeIds: [String]

    public init(
        facts: [Fact], documents: [RetrievedDocument], answer: String, linkedIDs: Set<String> = [],
        retrievedIDs: Set<String>? = nil
    ) {
        self.facts = facts
        let references = Self.references(in: answer)
        self.documents = documents.enumerated().map { index, retrieved in
            let ref = "D\(index + 1)"
            return CitedDocument(
                ref: ref, id: retrieved.document.id, backtestId: retrieved.document.backtestID,
                kind: retrieved.document.kind.rawValue, title: retrieved.document.title,
                tradeIds: retrieved.document.tradeIDs, score: retrieved.score,
                cited: references.contains(ref),
                retrieved: retrievedIDs?.contains(retrieved.document.id) ?? true,
                linked: linkedIDs.contains(retrieved.document.id))
        }
        var seen = Set<String>()
        let ids = facts.flatMap(\.tradeIDs) + documents.flatMap(\.document.tradeIDs)
        tradeIds = Array(ids.filter { seen.insert($0).inserted }.prefix(100))
    }

    /// Every bracketed reference in `answer` (`[D3]` gives `D3`), found in one pass over its bytes instead of one
    /// search of the whole answer per document.
    static func references(in answer: String) -> Set<String> {
        var found = Set<String>()
        let bytes = Array(answer.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, end - index <= 16, bytes[end] != UInt8(ascii: "]"), bytes[end] != UInt8(ascii: "[") {
                end += 1
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: "]"), end > index + 1 {
                found.insert(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
                index = end + 1
            } else {
                index = end
            }
        }
        return found
    }
}
