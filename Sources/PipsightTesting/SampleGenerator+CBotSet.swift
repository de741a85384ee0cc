import Foundation

extension SampleGenerator {
    /// The two reported shapes of a `.cbotset` (docs/ctrader-formats.md section 5).
    public enum CBotSetStyle: Sendable, Hashable {
        /// `<cbotset><parameters><parameter name="…" value="…"/>…`
        case xml
        /// `{"Parameters": {"Name": "Value", …}}`
        case json
    }

    /// Writes the sample cBot's parameters (`StopLossPips`, `TakeProfitRatio`, `Volume`, `FastPeriods`,
    /// `SlowPeriods`, `MAType`, `TradeFridays`, `Label`) as a `.cbotset`.
    func writeCBotSet(into sink: OutputSink, style: CBotSetStyle) {
        let parameters = Self.sampleParameters.map { ($0.name, $0.value) } + [("Label", label)]
        switch style {
        case .xml:
            sink.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<cbotset>\n  <parameters>\n")
            for (name, value) in parameters {
                sink.write("    <parameter name=\"\(SampleNumber.xmlEscaped(name))\" value=\"\(SampleNumber.xmlEscaped(value))\" />\n")
            }
            sink.write("  </parameters>\n</cbotset>\n")
        case .json:
            let members = parameters.map { "    \(SampleNumber.jsonString($0.0)): \(SampleNumber.jsonString($0.1))" }
            sink.write("{\n  \"Parameters\": {\n" + members.joined(separator: ",\n") + "\n  }\n}\n")
        }
    }
}
