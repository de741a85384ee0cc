import Foundation

/// Turns text that comes from the data (symbol, label, parameter and cBot names) into C# that can only mean
/// what it says: identifiers, escaped string literals, single-line comments and invariant number literals.
///
/// Nothing from a backtest ever reaches generated code any other way, so a label such as
/// `"; System.IO.File.Delete("x"); //` becomes the string it is, inside a literal.
public enum CSharp {
    /// The reserved C# keywords (contextual keywords such as `var` or `async` are valid identifiers).
    public static let keywords: Set<String> = [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile",
        "while",
    ]

    /// A PascalCase C# identifier made of the letters and digits of `text`: other characters separate words,
    /// a leading digit gets `prefix` in front, a reserved keyword gets `@`. Letters outside ASCII are kept
    /// where C# allows them (Unicode letter categories); everything else is dropped. Empty results use
    /// `fallback` (itself assumed valid).
    public static func identifier(_ text: String, prefix: String = "_", fallback: String = "Value") -> String {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if isIdentifierPart(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var result = words.map { word -> String in
            guard let first = word.first else { return word }
            return first.uppercased() + word.dropFirst()
        }.joined()
        // Normalisation can change scalars; keep only what is still valid.
        result = String(String.UnicodeScalarView(result.unicodeScalars.filter(isIdentifierPart)))
        guard let first = result.unicodeScalars.first else { return fallback }
        if !isIdentifierStart(first) { result = prefix + result }
        if keywords.contains(result) { result = "@" + result }
        return result
    }

    /// `text` as a regular C# string literal, quotes included. Quotes and backslashes are escaped, and every
    /// character outside printable ASCII is written as a `\uXXXX` escape of its UTF-16 code units, so no line
    /// terminator, bidi control or look-alike character can appear in the source.
    public static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04X", unit)
            }
        }
        return out + "\""
    }

    /// Text safe inside a `//` comment: one line of printable ASCII; anything else (line terminators, control and
    /// bidi characters) becomes `?`, so a comment can never end early or hide code.
    public static func commentText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
            (0x20...0x7E).contains(scalar.value) ? scalar : "?"
        }))
    }

    /// An invariant `double` literal (`25.0`, `0.5`, `1200.0`), at most `decimals` decimals.
    public static func double(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0.0" }
        var text = String(format: "%.\(max(1, decimals))f", value)
        while text.hasSuffix("0"), !text.hasSuffix(".0") { text.removeLast() }
        return text
    }

    /// An invariant `int` literal.
    public static func int(_ value: Int) -> String { String(value) }

    /// `true` or `false`.
    public static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            return true
        default:
            return false
        }
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        if isIdentifierStart(scalar) { return true }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .connectorPunctuation: return true
        default: return false
        }
    }
}
