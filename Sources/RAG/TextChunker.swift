/// Splits text into pieces that fit an embedding model's context. Never loses text: the chunks, concatenated in
/// order, are exactly the input. Cuts prefer a line break, then a sentence end, then a space, within the limit;
/// a run without any of them is cut at the limit.
public struct TextChunker: Sendable, Hashable {
    /// The longest chunk, in characters (≥ 16).
    public var maxCharacters: Int

    public init(maxCharacters: Int) {
        self.maxCharacters = max(16, maxCharacters)
    }

    /// The chunks of `text` (one chunk, possibly empty, when it fits).
    public func chunks(_ text: String) -> [String] {
        guard text.count > maxCharacters else { return [text] }
        var result: [String] = []
        var rest = Substring(text)
        while rest.count > maxCharacters {
            let limit = rest.index(rest.startIndex, offsetBy: maxCharacters)
            let window = rest[rest.startIndex..<limit]
            // Search the second half of the window for a natural cut, so chunks stay reasonably full.
            let earliest = window.index(window.startIndex, offsetBy: maxCharacters / 2)
            let cut = lastCut(in: window, after: earliest, where: { $0 == "\n" })
                ?? lastCut(in: window, after: earliest, where: { $0 == "." || $0 == ";" || $0 == "!" || $0 == "?" })
                ?? lastCut(in: window, after: earliest, where: { $0 == " " })
                ?? limit
            result.append(String(rest[rest.startIndex..<cut]))
            rest = rest[cut...]
        }
        if !rest.isEmpty { result.append(String(rest)) }
        return result
    }

    /// The index just after the last character in `window[after...]` matching `predicate`.
    private func lastCut(in window: Substring, after earliest: String.Index, where predicate: (Character) -> Bool) -> String.Index? {
        var index = window.endIndex
        while index > earliest {
            let previous = window.index(before: index)
            if predicate(window[previous]) { return index }
            index = previous
        }
        return nil
    }
}
