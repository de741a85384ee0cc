import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

@Suite("ReportHTMLParser")
struct ReportHTMLParserTests {
    typealias Support = CTraderJSONTestSupport

    static let json = """
    {"main": {"symbol": "GBPUSD", "period": "m15", "startingCapital": 1000},
     "history": {"items": [{"id": 4, "direction": "sell", "entryTime": 1762761600000,
                            "closeTime": 1762765200000, "gross": 12.34, "net": 12.0}]}}
    """

    static func page(scriptTag: String, body: String = json) -> String {
        """
        <!DOCTYPE html>
        <html><head><title>Backtesting report</title>
        <script src="app.js"></script>
        <script>var x = "<script id=backtesting-report>";</script>
        </head><body>
        \(scriptTag)\(body)</script>
        </body></html>
        """
    }

    @Test("finds the report script whatever the attribute order, quotes and case", arguments: [
        #"<script type="application/json" id="backtesting-report">"#,
        #"<script id='backtesting-report' type='application/json'>"#,
        #"<SCRIPT ID=backtesting-report>"#,
        #"<script data-x="a>b" id="backtesting-report" >"#,
    ])
    func findsScript(tag: String) throws {
        let export = try Support.parseAll(ReportHTMLParser(), Self.page(scriptTag: tag), name: "report.html")
        #expect(export.header.format == .reportHTML)
        #expect(export.header.symbol == "GBPUSD")
        #expect(export.header.startingCapital == 1000)
        #expect(export.trades.count == 1)
        #expect(export.trades.first?.grossProfit == Support.decimal("12.34"))
        #expect(export.trades.first?.direction == .sell)
    }

    @Test("a missing report script is an error naming the file and a line")
    func missingScript() throws {
        let page = "<html>\n<body>\n<script type=\"application/json\" id=\"other\">{}</script>\n</body>\n</html>\n"
        let error = try #require(Support.error(ReportHTMLParser(), page, name: "report.html"))
        #expect(error.code == .missingField)
        #expect(error.location?.file == "report.html")
        #expect(error.location?.line == 6)
        #expect(error.message.contains("backtesting-report"))
    }

    @Test("errors inside the embedded JSON carry the line of the page")
    func lineNumbersInsidePage() throws {
        let broken = "{\"main\": {\"symbol\": \"X\"},\n \"history\": {\"items\": [\n  {\"id\": 1,, }]}}"
        // The script tag (and the JSON's first line) is on line 6 of the page; the JSON's third line is line 8.
        let error = try #require(Support.error(
            ReportHTMLParser(), Self.page(scriptTag: "<script id=\"backtesting-report\">", body: broken),
            name: "report.html"
        ))
        #expect(error.code == .malformedJSON)
        #expect(error.location?.line == 8)

        let wrongType = "{\"main\": {\"symbol\": \"X\"},\n \"history\": {\"items\": [\n  {\"id\": 1, \"direction\": 5}]}}"
        let second = try #require(Support.error(
            ReportHTMLParser(), Self.page(scriptTag: "<script id=\"backtesting-report\">", body: wrongType),
            name: "report.html"
        ))
        #expect(second.code == .wrongType)
        #expect(second.location?.line == 8)
        #expect(second.location?.path == "history.items[0].direction")
    }

    @Test("an empty or unclosed report script is reported")
    func emptyAndUnclosed() throws {
        let empty = Self.page(scriptTag: "<script id=\"backtesting-report\">", body: "  \n ")
        #expect(Support.error(ReportHTMLParser(), empty, name: "report.html")?.code == .emptyInput)
        let unclosed = "<html>\n<script id=\"backtesting-report\">{\"main\": {}}\n"
        let error = try #require(Support.error(ReportHTMLParser(), unclosed, name: "report.html"))
        #expect(error.code == .malformedJSON)
        #expect(error.location?.line == 2)
        #expect(Support.error(ReportHTMLParser(), "", name: "report.html")?.code == .emptyInput)
    }

    @Test("a UTF-16 LE page is read")
    func utf16Page() throws {
        let data = Support.utf16LE(Self.page(scriptTag: "<script id=\"backtesting-report\">"))
        let export = try ReportHTMLParser().parseAll(ImportInput(name: "report.html", data: data))
        #expect(export.trades.first?.netProfit == 12)
    }
}
