/// Cuts a text that is too long for a model's context into consecutive pieces that each fit, preferring to cut
/// after a line break, then after a sentence, then after a space. Nothing is dropped: the pieces joined are the
/// text.
public enum TextSplitter {
    /// Pieces of at most `maxCharacters` characters (at least 1) whose concatenation is `text`. A text that
    /// fits comes back as one piece; an empty text as `[""]`.
    public static func split(_ text: String, maxCharacters: Int) -> [String] {
        let limit = max(1, maxCharacters)
        var pieces: [String] = []
        var rest = Substring(text)
        while let windowEnd = rest.index(rest.startIndex, offsetBy: limit, limitedBy: rest.endIndex),
              windowEnd < rest.endIndex {
            let window = rest[rest.startIndex..<windowEnd]
            let cut = cutPoint(in: window, limit: limit)
            pieces.append(String(rest[rest.startIndex..<cut]))
            rest = rest[cut...]
        }
        pieces.append(String(rest))
        return pieces
    }

    /// Where to end the piece taken from `window`: just after the last line break, sentence end or space in
    /// its second half, or at its end when there is none.
    private static func cutPoint(in window: Substring, limit: Int) -> Substring.Index {
        let earliest = window.index(window.startIndex, offsetBy: limit / 2)
        let tail = window[earliest...]
        if let newline = tail.lastIndex(where: \.isNewline) { return window.index(after: newline) }
        var index = tail.endIndex
        while index > tail.startIndex {
            let previous = tail.index(before: index)
            if tail[previous].isWhitespace, previous > tail.startIndex,
               ".!?;".contains(tail[tail.index(before: previous)]) {
                return index
            }
            index = previous
        }
        if let space = tail.lastIndex(where: \.isWhitespace) { return window.index(after: space) }
        return window.endIndex
    }
}
