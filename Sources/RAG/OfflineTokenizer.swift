/// Word splitting and normalisation for the offline embedder and the full-text query builder.
enum OfflineTokenizer {
    /// Lower-cased words of `text`: runs of letters and digits; a `.` or `,` between digits stays inside a number
    /// (`1.08345`); stop words are dropped and simple plurals stripped (`trades` → `trade`, `losses` → `loss`).
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current: [Character] = []
        let characters = Array(text.lowercased())
        func flush() {
            guard !current.isEmpty else { return }
            let word = normalise(String(current))
            current.removeAll(keepingCapacity: true)
            if !word.isEmpty, !stopWords.contains(word) { result.append(word) }
        }
        for (i, character) in characters.enumerated() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == ".", let last = current.last, last.isNumber,
                      i + 1 < characters.count, characters[i + 1].isNumber {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// Strips a plural ending from words longer than three letters.
    static func normalise(_ word: String) -> String {
        guard word.count > 3, word.last == "s", word.first?.isLetter == true else { return word }
        if word.hasSuffix("sses") { return String(word.dropLast(2)) }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { return word }
        return String(word.dropLast())
    }

    /// The canonical token of a trading synonym, if `word` has one.
    static func concept(of word: String) -> String? { concepts[word] }

    static let concepts: [String: String] = [
        "long": "buy", "bought": "buy", "buying": "buy",
        "short": "sell", "sold": "sell", "selling": "sell",
        "win": "winner", "won": "winner", "winning": "winner", "gain": "winner",
        "loser": "loss", "lose": "loss", "losing": "loss", "lost": "loss", "unprofitable": "loss",
        "sl": "stoploss", "stop": "stoploss", "stopped": "stoploss",
        "tp": "takeprofit", "target": "takeprofit",
        "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday",
        "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday",
        "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
        "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
        "dec": "december",
        "tokyo": "asia", "asian": "asia", "sydney": "asia", "ny": "york", "american": "york",
        "duration": "held", "holding": "held", "hold": "held",
        "drawdown": "drawdown", "dd": "drawdown",
        "optimisation": "pass", "optimization": "pass",
        "setting": "parameter", "input": "parameter",
    ]

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as", "is", "are",
        "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "what", "which", "who", "whom",
        "when", "where", "why", "how", "did", "do", "does", "my", "me", "i", "we", "our", "you", "your", "there",
        "their", "they", "them", "than", "then", "so", "if", "any", "all", "some", "can", "could", "would",
        "should", "will", "has", "have", "had", "about", "into", "over", "after", "before", "more",
        "much", "many", "show", "tell", "give", "list", "please",
    ]
}
