import Foundation
import PipsightCore
import PipsightTesting
import Testing

@testable import CTraderImport

/// Inputs that once broke, or are built to break, a parser: each must give a result or a `PipsightError`,
/// never a crash, a hang or another error type. New libFuzzer findings (`scripts/fuzz`) are added to
/// `cases` below with the target and the bytes. A small deterministic mutation run over the generator's
/// samples keeps the harness's idea in every `swift test`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    private typealias F = ImportFixtures

    /// Every parser, and detection followed by the detected parser.
    private static let parsers: [any ExportParser] = [
        ReportJSONParser(), ReportHTMLParser(), EventsJSONParser(), OptresParser(), HistoryCSVParser(), CBotSetParser(),
    ]

    /// Runs `data` through every parser and through detection; records an issue for any error that is not a
    /// `PipsightError`. Returns the codes of the errors seen (for the assertions of a case).
    @discardableResult
    private static func survive(_ data: Data, _ label: String) -> [PipsightError.Code?] {
        var codes: [PipsightError.Code?] = []
        for parser in parsers {
            do {
                _ = try parser.parseAll(ImportInput(name: "fuzz", data: data))
                codes.append(nil)
            } catch let error as PipsightError {
                #expect(!error.message.isEmpty, "\(label): \(parser.format)")
                codes.append(error.code)
            } catch {
                Issue.record("\(label): \(parser.format) threw \(type(of: error)): \(error)")
            }
        }
        do {
            let format = try FormatDetector().detect(ImportInput(name: "fuzz", data: data))
            _ = try FormatDetector.parser(for: format).parseAll(ImportInput(name: "fuzz", data: data))
        } catch is PipsightError {
        } catch {
            Issue.record("\(label): detection threw \(type(of: error)): \(error)")
        }
        return codes
    }

    /// Hand-written hostile inputs, and the findings of fuzzing runs.
    static let cases: [(String, [UInt8])] = [
        // libFuzzer, cbotset, 2026-11-25: a declared encoding of utf-7 crashed libxml2 in xmlSwitchToEncoding.
        // libFuzzer, cbotset: an unknown encoding name, in a declaration that is never closed.
        ("fuzz: XML declaring utf-8-", Array("<?xml version=\"1.0\" encoding=\"utf-8-\"=\u{0}\n<cbotset>\n  <parameteis>".utf8)),
        // libFuzzer, cbotset: a processing instruction without data made FoundationXML call strlen(NULL).
        ("fuzz: a processing instruction without data", Array("<?xDictionarn?>\n<cbotset>\n  <jarame".utf8)),
        ("fuzz: XML declaring utf-7", Array("<?xml version=\"1.0\" encoding=\"utf-7\"?>\n<cbotset>\n  <parameter{\u{4} ".utf8)
            + [0x3E, 0x0A, 0x3C, 0x70, 0x01, 0x00, 0x00, 0x00] + Array("me=\"StopLossPips\" olume\"v: ".utf8)),
        // libFuzzer, cbotset, 2026-11-26 (CI's 60 s run): NUL bytes made libxml2 read address 0x20 in xmlParseChunk.
        ("fuzz: '<?' with NUL bytes", [0x3C, 0x00, 0x3F, 0x00, 0xDB, 0xDB, 0x08, 0x3F, 0x00, 0xDB, 0xDB, 0x08, 0x8B, 0x0A]),
        ("empty", []),
        ("a BOM only", [0xEF, 0xBB, 0xBF]),
        ("a UTF-16 BOM and an odd byte", [0xFF, 0xFE, 0x41]),
        ("UTF-32 LE BOM", [0xFF, 0xFE, 0x00, 0x00, 0x41, 0, 0, 0]),
        ("NUL bytes", Array(repeating: 0, count: 64)),
        ("a lone high surrogate escape", Array("[{\"event\": \"\\ud800\", \"positionId\": 1}]".utf8)),
        ("a truncated \\u escape", Array("[\"\\u12".utf8)),
        ("an unterminated string", Array("{\"main\": {\"symbol\": \"EURUSD".utf8)),
        ("deep arrays", Array(repeating: UInt8(ascii: "["), count: 50_000)),
        ("deep objects", Array(String(repeating: "{\"a\":", count: 50_000).utf8)),
        ("a minus alone", Array("[-]".utf8)),
        ("NaN money", Array("{\"main\": {\"netProfit\": NaN}, \"history\": []}".utf8)),
        ("-Infinity time", Array("[{\"event\": \"Create Position\", \"positionId\": 1, \"time\": -Infinity}]".utf8)),
        ("a huge exponent", Array("{\"main\": {\"startingCapital\": 1e999999999999}, \"history\": []}".utf8)),
        ("an unclosed CSV quote", Array("ID,Opening Direction,Opening Time,Closing Time\n1,Buy,\"02/01/2024".utf8)),
        ("only a CSV header", Array("ID,Opening Direction,Opening Time,Closing Time\r\n".utf8)),
        ("a CSV header with 5000 columns", Array(("ID,Opening Direction,Opening Time,Closing Time" + String(repeating: ",x", count: 5000)).utf8)),
        ("CSV with a lone CR", Array("ID,Opening Direction,Opening Time,Closing Time\r1,Buy,02/01/2024 09:00,02/01/2024 10:00\r".utf8)),
        ("a time of day 25:61", Array("ID,Opening Direction,Opening Time,Closing Time\n1,Buy,02/01/2024 25:61:00,02/01/2024 10:00:00\n".utf8)),
        ("February 30th", Array("ID,Opening Direction,Opening Time,Closing Time\n1,Buy,30/02/2024 09:00:00,30/02/2024 10:00:00\n".utf8)),
        ("a year 99999", Array("ID,Opening Direction,Opening Time,Closing Time\n1,Buy,2024-01-01,99999-01-01\n".utf8)),
        ("a script tag never closed", Array("<html><script id=\"backtesting-report\">{\"main\":".utf8)),
        ("a script tag at the very end", Array("<html><script id=backtesting-report".utf8)),
        ("XML with an entity bomb", Array("""
            <?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
            <cbotset><parameters><parameter name="x">&d;&d;&d;&d;&d;&d;</parameter></parameters></cbotset>
            """.utf8)),
        ("XML with an external entity", Array("""
            <?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <cbotset><parameters><parameter name="x">&x;</parameter></parameters></cbotset>
            """.utf8)),
        ("events with a position closed twice", Array("""
            [{"serial":0,"positionId":1,"event":"Create Position","time":1762761600000,"type":"Buy","volume":1},
             {"serial":1,"positionId":1,"event":"Position closed","time":1762761600001,"volume":1},
             {"serial":2,"positionId":1,"event":"Position closed","time":1762761600002,"volume":1}]
            """.utf8)),
        ("events with a zero volume partial close", Array("""
            [{"serial":0,"positionId":1,"event":"Create Position","time":1762761600000,"type":"Buy","volume":0},
             {"serial":1,"positionId":1,"event":"Position closed","time":1762761600001,"volume":0}]
            """.utf8)),
    ]

    @Test("hostile inputs and past findings give a result or a PipsightError", arguments: 0..<cases.count)
    func hostile(index: Int) {
        let (label, bytes) = Self.cases[index]
        Self.survive(Data(bytes), label)
    }

    @Test("an XML declaration naming an encoding libxml2 should not switch to is refused with bad_encoding")
    func exoticXMLEncoding() throws {
        for encoding in ["utf-7", "UTF-7", "ebcdic-cp-us", "x-unknown", "utf-8-"] {
            let xml = "<?xml version='1.0' encoding='\(encoding)'?><cbotset><parameters/></cbotset>"
            let error = try #require(CTraderJSONTestSupport.error(CBotSetParser(), xml, name: "p.cbotset"))
            #expect(error.code == .badEncoding)
            #expect(error.location?.line == 1)
        }
        let latin = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><cbotset><parameters><parameter name=\"A\" value=\"1\"/></parameters></cbotset>"
        let export = try CTraderJSONTestSupport.parseAll(CBotSetParser(), latin, name: "p.cbotset")
        #expect(export.parameters.map(\.name) == ["A"])
        // Windows-1252 bytes are transcoded: 0xE9 is é.
        let accented = Data("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<cbotset><parameters><parameter name=\"Caf".utf8)
            + Data([0xE9]) + Data("\" value=\"1\"/></parameters></cbotset>".utf8)
        let decoded = try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: accented))
        #expect(decoded.parameters.map(\.name) == ["Café"])
        let instruction = "<?xml version=\"1.0\"?>\n<cbotset>\n<?pi?></cbotset>"
        let refused = try #require(CTraderJSONTestSupport.error(CBotSetParser(), instruction, name: "p.cbotset"))
        #expect(refused.code == .malformedXML)
        #expect(refused.location?.line == 3)
        let unclosed = "<?xml version=\"1.0\" encoding=\"utf-8\" <cbotset/>"
        #expect(CTraderJSONTestSupport.error(CBotSetParser(), unclosed, name: "p.cbotset")?.code == .malformedXML)
    }

    @Test(".cbotset XML holding a NUL byte is malformed_xml at its line, before libxml2 sees it")
    func nulInXML() throws {
        let (_, bytes) = try #require(Self.cases.first { $0.0 == "fuzz: '<?' with NUL bytes" })
        #expect(throws: PipsightError.self) { try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: Data(bytes))) }
        let second = Array("<cbotset>\n<parameter name=\"a\">1".utf8) + [0] + Array("</parameter></cbotset>".utf8)
        do {
            _ = try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: Data(second)))
            Issue.record("a NUL byte was accepted")
        } catch let error as PipsightError {
            #expect(error.code == .malformedXML)
            #expect(error.location?.file == "p.cbotset")
            #expect(error.location?.line == 2)
        }
    }

    @Test("the entity bomb is not expanded into a parameter value of unbounded size")
    func entityBomb() throws {
        let (_, bytes) = try #require(Self.cases.first { $0.0 == "XML with an entity bomb" })
        do {
            let export = try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: Data(bytes)))
            let value = export.parameters.first?.value ?? ""
            #expect(value.utf8.count <= ImportLimits.defaults.maxStringBytes)
            #expect(!value.contains("root:"))
        } catch let error as PipsightError {
            #expect(error.location?.file == "p.cbotset")
        }
    }

    @Test("seeded mutations of every sample format never crash a parser", arguments: [
        ExportFormat.reportJSON, .reportHTML, .eventsJSON, .optres, .historyCSV, .cbotset,
    ])
    func mutations(format: ExportFormat) {
        let sample = [UInt8](SampleGenerator(seed: 5, trades: 3).write(format))
        let noise = [UInt8](F.garbage(count: 4096, seed: UInt64(sample.count)))
        var cursor = 0
        func next() -> Int {
            cursor = (cursor + 1) % noise.count
            return Int(noise[cursor])
        }
        for round in 0..<40 {
            var bytes = sample
            for _ in 0..<(1 + round % 6) {
                guard !bytes.isEmpty else { break }
                let position = (next() << 8 | next()) % bytes.count
                switch next() % 5 {
                case 0: bytes[position] = UInt8(next())
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(contentsOf: Array(bytes[position..<min(bytes.count, position + next() % 64)]), at: position)
                case 3: bytes.removeSubrange(position..<bytes.count)  // a truncated download
                default: bytes.insert(UInt8(["\"", "[", "{", ",", ";", "\n", "\\"].randomElementAt(next())), at: position)
                }
            }
            Self.survive(Data(bytes), "\(format) mutation \(round)")
        }
    }
}

extension Array where Element == Character {
    fileprivate func randomElementAt(_ index: Int) -> Character { self[index % count] }
}

extension UInt8 {
    fileprivate init(_ character: Character) { self = character.asciiValue ?? 0x20 }
}
