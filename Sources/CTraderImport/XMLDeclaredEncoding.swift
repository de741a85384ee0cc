import Foundation
import PipsightCore

/// Prepares a `.cbotset` XML document for libxml2: the text as UTF-8 with the XML declaration blanked out, so
/// libxml2 never switches encodings itself. Its `xmlSwitchToEncoding` crashed on a declared `utf-7` and on an
/// unknown name such as `utf-8-` (both found by fuzzing), so the declared encoding is read here: UTF-8,
/// UTF-16 (already transcoded) and ASCII pass as they are, Latin-1 and Windows-1252 are transcoded, anything
/// else is refused with `bad_encoding`.
enum XMLDeclaredEncoding {
    static let utf8Family: Set<String> = ["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"]
    static let latinFamily: Set<String> = ["iso-8859-1", "latin1", "iso-8859-15", "windows-1252", "cp1252"]

    /// The declared encoding of a declaration's text, lowercased; nil when it names none.
    static func declared(in declaration: String) -> String? {
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "" }
        return String(rest.dropFirst().prefix { $0 != quote }).lowercased()
    }

    /// Processing instructions (`<?name …?>`) are refused: FoundationXML on Linux crashes (a null `strlen`)
    /// on one without data, and a `.cbotset` has none. Found by fuzzing.
    private static func refuseProcessingInstructions(_ body: [UInt8], from start: Int, file: String) throws {
        var line = 1 + body[..<min(start, body.count)].lazy.filter { $0 == 0x0A }.count
        var index = start
        while index + 1 < body.count {
            if body[index] == 0x0A { line += 1 }
            if body[index] == 0x3C, body[index + 1] == 0x3F {
                throw PipsightError(
                    .malformedXML, "malformed XML: processing instructions (<?…?>) are not accepted in a .cbotset",
                    location: ErrorLocation(file: file, line: line))
            }
            index += 1
        }
    }

    /// `bytes` (UTF-8, or a declared Latin-1/Windows-1252) as UTF-8 without an XML declaration; the
    /// declaration's bytes become spaces, so line numbers stay those of the file.
    static func prepare(_ bytes: Data, file: String) throws -> Data {
        var body = [UInt8](bytes)
        guard let start = body.firstIndex(where: { !JSONInputText.isWhitespace($0) }),
            body[start...].starts(with: Array("<?xml".utf8))
        else {
            try refuseProcessingInstructions(body, from: 0, file: file)
            return bytes
        }
        let window = body[start..<min(body.count, start + 1024)]
        guard let close = window.indices.first(where: { $0 + 1 < body.count && body[$0] == 0x3F && body[$0 + 1] == 0x3E }) else {
            throw PipsightError(
                .malformedXML, "malformed XML: the declaration <?xml … is not closed with ?>",
                location: ErrorLocation(file: file, line: 1))
        }
        let declaration = String(decoding: body[start..<close], as: UTF8.self)
        let encoding = declared(in: declaration)
        if let encoding, !utf8Family.contains(encoding), !latinFamily.contains(encoding) {
            throw PipsightError(
                .badEncoding,
                "the XML declares the encoding \"\(encoding.prefix(40))\", which Pipsight does not read; save the file as UTF-8",
                location: ErrorLocation(file: file, line: 1))
        }
        for index in start..<(close + 2) where body[index] != 0x0A { body[index] = 0x20 }
        try refuseProcessingInstructions(body, from: close + 2, file: file)
        if let encoding, latinFamily.contains(encoding) {
            let text = String(data: Data(body), encoding: .windowsCP1252) ?? String(decoding: body, as: UTF8.self)
            return Data(text.utf8)
        }
        return Data(body)
    }
}
