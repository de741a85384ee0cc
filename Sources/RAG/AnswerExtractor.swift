import Foundation

/// The offline answer: no language model, only the computed facts and short quotes of the best documents, with
/// their references, under a plain statement that no model wrote it. Document text is quoted as data (cut,
/// on one line, in quotation marks), so an instruction written in a trade label is shown, never followed.
public struct AnswerExtractor: Sendable {
    /// The first line of every offline answer.
    public static let label = "No language model was used: this answer lists the figures computed from your trades and the most relevant documents."

    /// How many documents are quoted.
    public var maxDocuments: Int
    /// Longest quote per document, in characters.
    public var maxQuoteCharacters: Int

    public init(maxDocuments: Int = 5, maxQuoteCharacters: Int = 240) {
        self.maxDocuments = maxDocuments
        self.maxQuoteCharacters = maxQuoteCharacters
    }

    public func answer(analysis: QuestionAnalysis, facts: [Fact], documents: [RetrievedDocument]) -> String {
        var lines = [Self.label, ""]
        let backtests = Set(facts.map(\.backtestID) + documents.map(\.document.backtestID))
        if facts.isEmpty && documents.isEmpty {
            lines.append("Nothing in the stored backtests matched the question.")
            return lines.joined(separator: "\n")
        }
        if !facts.isEmpty {
            lines.append("Computed from the stored trades:")
            for fact in facts {
                let scope = backtests.count > 1 ? " (backtest \(fact.backtestID.uuidString.prefix(8).lowercased()))" : ""
                lines.append("- \(fact.sentence)\(scope) [\(fact.id)]")
            }
        }
        let quoted = documents.prefix(analysis.isExplanatory ? maxDocuments : min(maxDocuments, 3))
        if !quoted.isEmpty {
            if !facts.isEmpty { lines.append("") }
            lines.append(analysis.isExplanatory ? "Trades and periods that explain it:" : "Most relevant documents:")
            for (index, retrieved) in quoted.enumerated() {
                lines.append("- [D\(index + 1)] \(Self.oneLine(retrieved.document.title)): “\(quote(retrieved.document.text))”")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The text on one line, cut at a word boundary, with curly quotes inside replaced.
    func quote(_ text: String) -> String {
        let flat = Self.oneLine(text).replacingOccurrences(of: "“", with: "'").replacingOccurrences(of: "”", with: "'")
        guard flat.count > maxQuoteCharacters else { return flat }
        var cut = String(flat.prefix(maxQuoteCharacters))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut + " …"
    }

    static func oneLine(_ text: String) -> String {
        PromptRenderer.neutralise(text).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
