import Foundation
import Testing
@testable import CBotGen

@Suite("C# names and literals")
struct CSharpTests {
    @Test("identifiers", arguments: [
        ("Sample Trend cBot", "SampleTrendCBot"),
        ("1st param", "_1stParam"),
        ("class", "Class"),
        ("_class", "_class"),
        ("Größe Ünïcode", "GrößeÜnïcode"),
        ("\"; System.IO.File.Delete(\"x\"); //", "SystemIOFileDeleteX"),
        ("", "Value"),
        ("😀", "Value"),
        ("a-b c_d", "ABC_d"),
    ])
    func identifiers(input: String, expected: String) {
        #expect(CSharp.identifier(input) == expected)
    }

    @Test("no keyword comes out as a keyword")
    func keywords() {
        for keyword in ["class", "int", "namespace", "return", "void", "while", "using"] {
            #expect(CSharp.keywords.contains(keyword))
            let identifier = CSharp.identifier(keyword)
            #expect(!CSharp.keywords.contains(identifier), "\(keyword) → \(identifier)")
            #expect(identifier.lowercased() == keyword)
        }
    }

    /// Decodes a C# regular string literal (the escapes `stringLiteral` writes): an independent reader.
    static func decode(_ literal: String) throws -> String {
        var units: [UInt16] = []
        var chars = Array(literal.utf16)
        try #require(chars.first == 0x22 && chars.last == 0x22)
        chars = Array(chars.dropFirst().dropLast())
        var index = 0
        while index < chars.count {
            let unit = chars[index]
            try #require(unit != 0x22 && unit >= 0x20 && unit <= 0x7E, "raw character \(unit) inside the literal")
            if unit == 0x5C {
                let next = chars[index + 1]
                if next == 0x75 {
                    let hex = String(decoding: chars[(index + 2)..<(index + 6)], as: UTF16.self)
                    units.append(try #require(UInt16(hex, radix: 16)))
                    index += 6
                    continue
                }
                units.append(next)
                index += 2
                continue
            }
            units.append(unit)
            index += 1
        }
        return String(decoding: units, as: UTF16.self)
    }

    @Test("string literals hold exactly the text, in printable ASCII", arguments: [
        SpecFixtures.hostileLabel, "line\nbreak\r\u{2028}\u{2029}\u{85}", "back\\slash \"quoted\"", "Größe 😀", "\u{0}\u{7F}",
    ])
    func literals(text: String) throws {
        let literal = CSharp.stringLiteral(text)
        #expect(try Self.decode(literal) == text)
        #expect(literal.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
    }

    @Test("comment text is one printable-ASCII line")
    func comments() {
        let text = CSharp.commentText("a\nb\r\u{2028}c\u{85}d\u{202E}e")
        #expect(text == "a?b??c?d?e")
    }

    @Test("double literals are invariant")
    func doubles() {
        #expect(CSharp.double(25) == "25.0")
        #expect(CSharp.double(37.5) == "37.5")
        #expect(CSharp.double(0.125, decimals: 3) == "0.125")
        #expect(CSharp.double(.nan) == "0.0")
    }
}
