import Foundation
import PipsightCore

/// A prompt ready for a chat model, and which reference (`D1`) stands for which document.
public struct RenderedPrompt: Sendable, Hashable {
    public var system: String
    public var user: String
    /// `D1` → document id, in prompt order.
    public var documentReferences: [(ref: String, documentID: String)] {
        zip(documentIDs.indices, documentIDs).map { ("D\($0 + 1)", $1) }
    }
    public var documentIDs: [String]

    public var messages: [ChatMessage] {
        [ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: user)]
    }
}

/// Renders the system and answer prompts with the facts and documents as delimited data. Text from the exports
/// can never close a data block or open a new one: delimiter sequences inside data are neutralised.
public struct PromptRenderer: Sendable {
    public var templates: PromptTemplates
    /// Longest document text put in the prompt, in characters (the rest is cut with a marker).
    public var maxDocumentCharacters: Int
    /// The answer length asked for in the system prompt.
    public var maxSentences: Int

    public init(templates: PromptTemplates, maxDocumentCharacters: Int = 1_500, maxSentences: Int = 8) {
        self.templates = templates
        self.maxDocumentCharacters = maxDocumentCharacters
        self.maxSentences = maxSentences
    }

    public func render(question: String, facts: [Fact], documents: [RetrievedDocument]) -> RenderedPrompt {
        let factValues: [[String: Any]] = facts.map { fact in
            [
                "ref": Self.attribute(fact.id), "backtest": fact.backtestID.uuidString.lowercased(),
                "sentence": Self.neutralise(fact.sentence), "source": Self.neutralise(fact.source),
            ]
        }
        let documentValues: [[String: Any]] = documents.enumerated().map { index, retrieved in
            var text = retrieved.document.text
            if text.count > maxDocumentCharacters { text = String(text.prefix(maxDocumentCharacters)) + " […]" }
            return [
                "ref": "D\(index + 1)", "kind": Self.attribute(retrieved.document.kind.rawValue),
                "documentID": Self.attribute(retrieved.document.id), "title": Self.neutralise(retrieved.document.title),
                "text": Self.neutralise(text),
            ]
        }
        let context: [String: Any] = [
            "question": Self.neutralise(question), "facts": factValues, "factCount": facts.count,
            "documents": documentValues, "documentCount": documents.count, "maxSentences": maxSentences,
        ]
        return RenderedPrompt(
            system: templates.system.render(["maxSentences": maxSentences]),
            user: templates.answer.render(context),
            documentIDs: documents.map(\.document.id))
    }

    /// Data text that cannot open or close a data block: any `<<` and `>>` (so `<<<DATA`, `<<<END DATA>>>`) become `‹‹` and `››`, control
    /// characters other than newline and tab are dropped.
    public static func neutralise(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control, scalar != "\n", scalar != "\t" { continue }
            result.unicodeScalars.append(scalar)
        }
        return result.replacingOccurrences(of: "<<", with: "‹‹").replacingOccurrences(of: ">>", with: "››")
    }

    /// A value for a `key="…"` attribute: no quotes, angle brackets or line breaks.
    static func attribute(_ text: String) -> String {
        String(text.filter { !"\"<>\n\r".contains($0) })
    }
}
