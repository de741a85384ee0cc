import Foundation

extension SampleGenerator {
    /// Writes `report.html`: a page carrying the report JSON in
    /// `<script type="application/json" id="backtesting-report">…</script>` (the JSON escapes `<`, `>` and
    /// `&` inside strings, so it cannot end the script early).
    func writeReportHTML(into sink: OutputSink, options: WriteOptions) {
        sink.write(
            """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(SampleNumber.xmlEscaped(cBotName)) - Backtesting report</title>
            <style>body { font-family: sans-serif; margin: 0; } #root { padding: 16px; }</style>
            </head>
            <body>
            <div id="root"></div>
            <script type="application/json" id="backtesting-report">
            """)
        writeReportJSON(into: sink, options: options)
        sink.write(
            """
            </script>
            <script>/* the viewer reads the JSON above */</script>
            </body>
            </html>

            """)
    }
}
