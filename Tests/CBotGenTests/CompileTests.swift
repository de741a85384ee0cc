import Foundation
import PipsightCore
import Testing
@testable import CBotGen

@Suite("Generated C# compiles against the cAlgo stub (mcs -warnaserror)", .serialized)
struct CompileTests {
    let renderer: CBotRenderer

    init() throws {
        renderer = try CBotRenderer()
    }

    @Test("the stub itself compiles")
    func stubCompiles() throws {
        try CSharpCompiler.compile([:])
    }

    @Test("every template with every rule compiles", arguments: CBotTemplate.allCases)
    func complete(template: CBotTemplate) throws {
        let source = try renderer.render(SpecFixtures.complete(template: template))
        try CSharpCompiler.compile(["Bot.cs": source])
    }

    @Test("every template with no rules at all compiles", arguments: CBotTemplate.allCases)
    func empty(template: CBotTemplate) throws {
        let source = try renderer.render(StrategySpec(name: "", label: "", template: template))
        #expect(source.contains("public class PipsightBot : Robot"))
        try CSharpCompiler.compile(["Bot.cs": source])
    }

    @Test("hostile names and strings compile and stay inert", arguments: CBotTemplate.allCases)
    func hostile(template: CBotTemplate) throws {
        let spec = SpecFixtures.hostile(template: template)
        let source = try renderer.render(spec)
        try CSharpCompiler.compile(["Bot.cs": source])
        // Outside string literals and comments there is no trace of the injected calls.
        let code = CSharpScanner.codeOnly(source)
        // (Identifiers may spell the words, as in `OptSystemIOFileDeleteP`: inert names, never a member access.)
        #expect(!code.contains("File.Delete"))
        #expect(!code.contains("System.IO"))
        #expect(!code.contains("Delete("))
        // The label is the exact string, as a parameter default.
        let labelLine = try #require(source.split(separator: "\n").first { $0.contains("\"Label\", DefaultValue = ") })
        let literal = try #require(CSharpScanner.stringLiterals(String(labelLine)).dropFirst().first)
        #expect(try CSharpTests.decode(literal) == SpecFixtures.hostileLabel)
        #expect(source.contains("AccessRights = AccessRights.None"))
        #expect(!source.contains("AccessRights.FullAccess"))
        #expect(source.unicodeScalars.allSatisfy { $0.value < 0x80 || CSharp.isIdentifierPart($0) })
    }
}

/// A small C# lexer for the tests: splits source into code, comments and regular string literals.
enum CSharpScanner {
    /// The source with every comment and string literal removed.
    static func codeOnly(_ source: String) -> String {
        scan(source).code
    }

    /// The regular string literals of `source`, quotes included, in order.
    static func stringLiterals(_ source: String) -> [String] {
        scan(source).literals
    }

    private static func scan(_ source: String) -> (code: String, literals: [String]) {
        let chars = Array(source)
        var code = ""
        var literals: [String] = []
        var index = 0
        while index < chars.count {
            let char = chars[index]
            let next = index + 1 < chars.count ? chars[index + 1] : " "
            if char == "/" && next == "/" {
                while index < chars.count && !chars[index].isNewline { index += 1 }
            } else if char == "/" && next == "*" {
                index += 2
                while index + 1 < chars.count && !(chars[index] == "*" && chars[index + 1] == "/") { index += 1 }
                index += 2
            } else if char == "\"" {
                var literal = "\""
                index += 1
                while index < chars.count && chars[index] != "\"" {
                    if chars[index] == "\\" {
                        literal.append(chars[index])
                        index += 1
                    }
                    literal.append(chars[index])
                    index += 1
                }
                literal.append("\"")
                literals.append(literal)
                index += 1
                code += "\"\""
            } else {
                code.append(char)
                index += 1
            }
        }
        return (code, literals)
    }
}
