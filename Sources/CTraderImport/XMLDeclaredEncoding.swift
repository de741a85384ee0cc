import Foundation
import PipsightCore

/// The `encoding` of an XML declaration (`<?xml version="1.0" encoding="utf-8"?>`), checked before libxml2
/// sees the document. libxml2 switches to a declared encoding through iconv, and an exotic one (`utf-7`)
/// crashed it inside `xmlSwitchToEncoding` (found by fuzzing), so only the encodings a `.cbotset` is
/// plausibly saved in are let through.
enum XMLDeclaredEncoding {
    static let accepted: Set<String> = [
        "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii", "iso-8859-1", "latin1",
        "iso-8859-15", "windows-1252", "cp1252",
    ]

    /// The declared encoding, lowercased, or nil when there is no declaration or it names none.
    static func declared(in bytes: Data) -> String? {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard trimmed.hasPrefix("<?xml"), let end = trimmed.range(of: "?>") else { return nil }
        let declaration = trimmed[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "" }
        return String(rest.dropFirst().prefix { $0 != quote }).lowercased()
    }

    /// Throws `bad_encoding` when the declaration names an encoding outside ``accepted``.
    static func check(_ bytes: Data, file: String) throws {
        guard let encoding = declared(in: bytes), !accepted.contains(encoding) else { return }
        throw PipsightError(
            .badEncoding,
            "the XML declares the encoding \"\(encoding.prefix(40))\", which Pipsight does not read; save the file as UTF-8",
            location: ErrorLocation(file: file, line: 1))
    }
}
