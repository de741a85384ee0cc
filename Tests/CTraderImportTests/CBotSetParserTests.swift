import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

@Suite("CBotSetParser")
struct CBotSetParserTests {
    typealias Support = CTraderJSONTestSupport

    @Test("XML: parameters in order, cBot name and chart from attributes, unknown attributes kept")
    func xml() throws {
        let text = """
        <?xml version="1.0" encoding="utf-8"?>
        <cbotset name="Sample Trend" symbol="EURUSD" period="h1" build="4.8">
          <parameters>
            <parameter name="Periods" value="14"/>
            <parameter name="Label" value="a &amp; b"/>
            <Parameter Name="UseTrailing" Value="True" Optimize="false"/>
            <parameter name="Comment">text value</parameter>
          </parameters>
        </cbotset>
        """
        let export = try Support.parseAll(CBotSetParser(), text, name: "bot.cbotset")
        #expect(export.header.format == .cbotset)
        #expect(export.header.cBotName == "Sample Trend")
        #expect(export.header.symbol == "EURUSD")
        #expect(export.header.period == "h1")
        #expect(export.header.extra["build"] == .string("4.8"))
        #expect(export.parameters.map(\.name) == ["Periods", "Label", "UseTrailing", "Comment"])
        #expect(export.parameters.map(\.value) == ["14", "a & b", "True", "text value"])
        #expect(export.parameters[2].optimize == false)
    }

    @Test("XML: malformed XML and a parameter without a name are errors with a line")
    func xmlErrors() throws {
        let broken = "<cbotset>\n<parameters>\n<parameter name=\"A\" value=\"1\">\n</parameters>\n</cbotset>"
        let error = try #require(Support.error(CBotSetParser(), broken, name: "bot.cbotset"))
        #expect(error.code == .malformedXML)
        #expect(error.location?.line == 4)  // `</parameters>` closes the open <parameter>
        #expect(error.message.hasPrefix("malformed XML"))

        let ampersand = "<cbotset>\n<parameter name=\"A\" value=\"a & b\"/>\n</cbotset>"
        let second = try #require(Support.error(CBotSetParser(), ampersand, name: "bot.cbotset"))
        #expect(second.code == .malformedXML)
        #expect(second.location?.line == 2)

        let nameless = "<cbotset>\n<parameters>\n<parameter value=\"1\"/>\n</parameters>\n</cbotset>"
        let missing = try #require(Support.error(CBotSetParser(), nameless, name: "bot.cbotset"))
        #expect(missing.code == .missingField)
        #expect(missing.location?.line == 3)
        #expect(missing.location?.field == "name")
    }

    @Test("JSON: a Parameters object, Chart and cBot name")
    func jsonObject() throws {
        let text = """
        {"Chart": {"Symbol": "XAUUSD", "Period": "m15"}, "cBot": "Gold Breaker",
         "Parameters": {"Risk": "1.5", "Lots": 0.1, "Enabled": true}, "Version": 2}
        """
        let export = try Support.parseAll(CBotSetParser(), text, name: "bot.cbotset")
        #expect(export.header.cBotName == "Gold Breaker")
        #expect(export.header.symbol == "XAUUSD")
        #expect(export.header.period == "m15")
        #expect(export.header.extra["Version"] == .number(2))
        #expect(export.parameters.map(\.name) == ["Risk", "Lots", "Enabled"])
        #expect(export.parameters.map(\.value) == ["1.5", "0.1", "true"])
    }

    @Test("JSON: the CLI parameter-file shape with ranges and values")
    func jsonCLIShape() throws {
        let text = """
        {"parameters": [
          {"Name": "SlowPeriods", "Optimize": true, "Min": "5", "Max": "50", "Step": "5"},
          {"Name": "MAType", "Optimize": true, "Values": ["0", "1"]},
          {"Name": "Fixed", "Value": "3"}
        ]}
        """
        let export = try Support.parseAll(CBotSetParser(), text, name: "params.cbotset")
        #expect(export.parameters.count == 3)
        let slow = export.parameters[0]
        #expect(slow.name == "SlowPeriods")
        #expect(slow.optimize == true)
        #expect([slow.min, slow.max, slow.step] == ["5", "50", "5"])
        #expect(export.parameters[1].values == ["0", "1"])
        #expect(export.parameters[2].value == "3")
        #expect(export.parameters[2].optimize == nil)
    }

    @Test("JSON errors, BOM, UTF-16 and unknown content")
    func jsonErrorsAndEncodings() throws {
        let noName = "{\"parameters\": [\n {\"Value\": \"3\"}\n]}"
        let error = try #require(Support.error(CBotSetParser(), noName, name: "p.cbotset"))
        #expect(error.code == .missingField)
        #expect(error.location?.path == "parameters[0].name")
        #expect(error.location?.line == 2)

        #expect(Support.error(CBotSetParser(), "{\"Chart\": {}}", name: "p.cbotset")?.code == .missingField)
        #expect(Support.error(CBotSetParser(), "{\"Parameters\": {\"A\": ", name: "p.cbotset")?.code == .malformedJSON)
        #expect(Support.error(CBotSetParser(), "", name: "p.cbotset")?.code == .emptyInput)
        #expect(Support.error(CBotSetParser(), "Periods=14", name: "p.cbotset")?.code == .unknownFormat)

        let json = "{\"Parameters\": {\"A\": \"1\"}}"
        let bom = try CBotSetParser().parseAll(
            ImportInput(name: "p.cbotset", data: Data([0xEF, 0xBB, 0xBF]) + Data(json.utf8))
        )
        #expect(bom.parameters.first?.value == "1")
        let utf16 = try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: Support.utf16LE(json)))
        #expect(utf16.parameters.first?.name == "A")

        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><cbotset><parameters><parameter name=\"B\" value=\"2\"/></parameters></cbotset>"
        let xml16 = try CBotSetParser().parseAll(ImportInput(name: "p.cbotset", data: Support.utf16LE(xml)))
        #expect(xml16.parameters.map(\.value) == ["2"])
    }
}
