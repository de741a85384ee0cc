import Foundation
import PipsightCore

/// The uncased BERT WordPiece tokenizer of all-MiniLM-L6-v2, as Hugging Face's `BertTokenizer`/`tokenizers`
/// run it (`BertNormalizer` with lower-casing, `BertPreTokenizer`, `WordPiece`):
///
/// 1. clean: drop NUL, U+FFFD and control characters; every whitespace character becomes a space;
/// 2. put spaces around CJK ideographs (each becomes a word);
/// 3. strip accents (NFD, drop non-spacing marks) and lower-case;
/// 4. split on whitespace, and split off every punctuation character (ASCII punctuation, which includes
///    `$ + < = > ^ \` | ~`, and every Unicode `P*` character) as a word of its own;
/// 5. WordPiece: greedy longest match from the vocabulary, continuation pieces prefixed `##`; a word with no
///    segmentation, or longer than 100 characters, becomes `[UNK]`;
/// 6. `[CLS]` … `[SEP]`, cut to `maxTokens` in all.
public struct BertTokenizer: Sendable {
    /// Token ids by vocabulary entry (line number in vocab.txt).
    public let vocabulary: [String: Int32]
    public let clsID: Int32
    public let sepID: Int32
    public let unknownID: Int32
    /// Most tokens of one encoded text, `[CLS]` and `[SEP]` included.
    public let maxTokens: Int
    /// Words longer than this (in Unicode scalars) become `[UNK]`.
    public let maxCharactersPerWord = 100

    /// Reads `vocab.txt` (one entry per line; the line number is the id).
    public init(vocabularyFile path: String, maxTokens: Int = 256) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipsightError(.embeddingModelMissing, "the vocabulary file is missing", location: ErrorLocation(file: path))
        }
        let data = try MappedFile(path: path).data
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipsightError(.corruptModelFile, "the vocabulary is not UTF-8 text", location: ErrorLocation(file: path))
        }
        var entries = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if entries.last == "" { entries.removeLast() }
        try self.init(vocabulary: entries, maxTokens: maxTokens, path: path)
    }

    /// A tokenizer over `entries` (id = index); tests build small ones.
    public init(vocabulary entries: [String], maxTokens: Int = 256, path: String? = nil) throws {
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(entries.count)
        for (id, entry) in entries.enumerated() where vocabulary[entry] == nil { vocabulary[entry] = Int32(id) }
        func id(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else {
                throw PipsightError(.corruptModelFile, "the vocabulary has no \(token)", location: ErrorLocation(file: path))
            }
            return id
        }
        self.vocabulary = vocabulary
        clsID = try id("[CLS]")
        sepID = try id("[SEP]")
        unknownID = try id("[UNK]")
        self.maxTokens = max(2, maxTokens)
    }

    /// The token ids of `text`: `[CLS]`, at most `maxTokens - 2` word pieces, `[SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [clsID]
        let limit = maxTokens - 1
        for word in Self.words(text) {
            appendPieces(of: word, to: &ids)
            if ids.count >= limit { break }
        }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
        ids.append(sepID)
        return ids
    }

    /// The word pieces of `text` as strings (no `[CLS]`/`[SEP]`, not cut), for tests and diagnostics.
    public func tokens(_ text: String) -> [String] {
        var names = [String](repeating: "", count: vocabulary.count)
        for (token, id) in vocabulary where Int(id) < names.count { names[Int(id)] = token }
        var ids: [Int32] = []
        for word in Self.words(text) { appendPieces(of: word, to: &ids) }
        return ids.map { names[Int($0)] }
    }

    /// Steps 1-4: the normalised words of `text`, each as its Unicode scalars.
    public static func words(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isControl(scalar) {
                continue
            } else if isCJK(value) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // Accents: canonical decomposition, then the non-spacing marks go; then lower-case (full mapping).
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        func flush() {
            if !word.isEmpty { words.append(word) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            for lower in lowercase(scalar) {
                if isWhitespace(lower) {
                    flush()
                } else if isPunctuation(lower) {
                    flush()
                    words.append([lower])
                } else {
                    word.append(lower)
                }
            }
        }
        flush()
        return words
    }

    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= maxCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                var candidate = start > 0 ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    private static func lowercase(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView {
        if scalar.isASCII {
            let value = scalar.value
            if value >= 0x41 && value <= 0x5A, let lower = Unicode.Scalar(value + 0x20) {
                return String.UnicodeScalarView([lower])
            }
            return String.UnicodeScalarView([scalar])
        }
        return scalar.properties.lowercaseMapping.unicodeScalars
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: true
        default: scalar.properties.isWhitespace
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value) || (0x5B...0x60).contains(value)
            || (0x7B...0x7E).contains(value) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value)
            || (0x2B820...0x2CEAF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0x2F800...0x2FA1F).contains(value)
    }
}
