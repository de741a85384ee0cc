import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipsightTesting
import PostgresStore
import Testing

/// The web page in a real browser (headless Chromium over WebDriver) against `pipsight serve` started from an
/// unrelated folder with the sample corpus ingested: upload, backtest view, ask, cBot, accessibility checks.
/// With `PIPSIGHT_SCREENSHOTS=<folder>` it also saves the screenshots of docs/web.md (scripts/screenshots).
@Suite("Web page in a browser", .serialized, .enabled(if: WebDriver.available, "chromium and chromium-driver are not installed"))
struct WebPageBrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let realEvents = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/ctrader/events.json")
    /// The corpus files that ingest (not `broken/`).
    static var corpus: [String] {
        let folder = packageRoot.appendingPathComponent("corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "broken" }.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// Relative luminance contrast of two CSS `rgb()` colours, computed in the page (WCAG 2 formula).
    static let contrastScript = """
        const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = (rgb) => { const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const ratio = (a, b) => { const [x, y] = [lum(parse(a)), lum(parse(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const style = (sel) => getComputedStyle(document.querySelector(sel));
        const body = style('body'), card = style('.card'), hint = style('.hint'), link = style('a');
        return {
          text: ratio(body.color, body.backgroundColor),
          hintOnCard: ratio(hint.color, card.backgroundColor),
          linkOnBody: ratio(link.color, body.backgroundColor),
          textOnCard: ratio(card.color, card.backgroundColor),
          dark: matchMedia('(prefers-color-scheme: dark)').matches,
        };
        """

    @Test("upload, see, ask and download in headless Chromium; labels, keyboard and contrast")
    func page() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-web-\(UUID().uuidString)")
            let downloads = workspace.appendingPathComponent("downloads")
            try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: workspace) }
            let environment = ProcessInfo.processInfo.environment.merging([
                "PIPSIGHT_DATABASE_URL": url.connectionString,
                "PIPSIGHT_OLLAMA_URL": "http://127.0.0.1:9",  // nothing listens: answers are offline
                "PIPSIGHT_AUTH_DISABLED": "true",  // the page works without a key when keys are off
                "PIPSIGHT_RATE_LIMIT": "0",
                "PIPSIGHT_WEB_ROOT": "",
            ]) { $1 }
            // The corpus is stored without its question documents (10 s saved): questions below are about the
            // uploaded backtest, which the server indexes itself.
            try Self.run(["ingest", "--no-index"] + Self.corpus, environment: environment, in: workspace)

            let port = try ServeShutdownTests.freePort()
            let server = Process()
            server.executableURL = KilledIngestTests.binary
            server.arguments = ["serve", "--port", String(port)]
            server.environment = environment
            server.currentDirectoryURL = workspace  // the page must be found from anywhere, not from the checkout
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            try await Self.waitUntilReady(port: port)

            let browser = try await WebDriver(port: try ServeShutdownTests.freePort(), downloads: downloads)
            do {
                try await Self.drive(browser, port: port, downloads: downloads)
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    /// The steps in the browser.
    static func drive(_ browser: WebDriver, port: Int, downloads: URL) async throws {
        let shots = ProcessInfo.processInfo.environment["PIPSIGHT_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        /// Saves a screenshot of the section `id` (the element only, so the pictures stay small).
        func shoot(_ name: String, at id: String) async throws {
            guard let shots else { return }
            let height = try await browser.execute(
                "document.activeElement.blur(); return Math.ceil(document.getElementById(arguments[0]).getBoundingClientRect().height)",
                [id]) as? Int ?? 0
            // A window tall enough for the whole section (an element screenshot is cut at the viewport).
            try await browser.command("POST", "/window/rect", ["width": 1280, "height": min(4000, max(1200, height + 250))])
            try await browser.execute(
                "const top = document.getElementById(arguments[0]).getBoundingClientRect().top; window.scrollBy(0, top - 60)", [id])
            try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
            try await browser.screenshot(of: "#\(id)").write(to: shots.appendingPathComponent("\(name).png"))
            try await browser.command("POST", "/window/rect", ["width": 1280, "height": 1200])
        }

        try await browser.navigate("http://127.0.0.1:\(port)/")
        try await browser.wait(for: "the page to load the backtest list", "return document.body.dataset.ready === 'true'")

        // Every control has a label (a <label>, aria-label, or a button's own text).
        let unlabelled = try await browser.execute("""
            return [...document.querySelectorAll('input, select, textarea, button')]
              .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
              .map((e) => e.id || e.outerHTML)
            """) as? [Any]
        #expect(unlabelled?.isEmpty == true, "controls without a label: \(String(describing: unlabelled))")

        // The file input behind the drop zone is reachable with Tab, and its focus is visible.
        var reached = false
        for _ in 0..<20 where !reached {
            try await browser.press("\u{E004}")
            reached = try await browser.execute("return document.activeElement && document.activeElement.id") as? String == "file-input"
        }
        #expect(reached, "Tab never reached the file input")
        let outline = try await browser.execute("return getComputedStyle(document.getElementById('drop-zone')).outlineStyle") as? String
        #expect(outline == "solid", "the focused drop zone shows no focus outline")

        // Upload the real events.json through the file input.
        try #require(
            FileManager.default.fileExists(atPath: Self.realEvents.path),
            "the real events.json is not beside the checkout (../shared/samples/ctrader/events.json)")
        try await browser.type("#file-input", Self.realEvents.path)
        let uploaded = try await browser.wait(
            for: "the upload result",
            "const li = document.querySelector('#upload-results li[data-status]'); return li ? li.textContent : ''") as? String
        #expect(uploaded?.contains("events.json") == true)
        #expect(uploaded?.contains("stored as events-json: 698 trades") == true, "upload result: \(uploaded ?? "")")

        // The backtest view shows the uploaded backtest: metrics and the three charts.
        let trades = try await browser.wait(
            for: "the metrics of the uploaded backtest",
            """
            const select = document.getElementById('backtest-select');
            const option = select.selectedOptions[0];
            const dd = document.querySelector('[data-metric="Trades"] dd');
            const shown = document.getElementById('metrics').dataset.backtest;
            return option && option.textContent.startsWith('events.json') && shown === option.value && dd ? dd.textContent : '';
            """) as? String
        #expect(trades == "698")
        let charts = try await browser.wait(for: "the charts", """
            const heat = document.querySelectorAll('#heatmap rect.cell-pos, #heatmap rect.cell-neg').length;
            const months = document.querySelectorAll('#monthly rect[data-month]').length;
            const line = document.querySelector('#equity-chart polyline.line');
            const shade = document.querySelector('#equity-chart polygon.shade');
            return line && shade && heat > 0 && months > 0 ? { heat, months, points: line.getAttribute('points').split(' ').length } : null;
            """) as? [String: Any]
        #expect((charts?["points"] as? Int ?? 0) > 100, "equity curve: \(String(describing: charts))")
        #expect((charts?["heat"] as? Int ?? 0) > 0)
        #expect((charts?["months"] as? Int ?? 0) > 0)
        try await shoot("backtest", at: "overview")
        // The upload result follows the background indexing the questions below draw on.
        let indexed = try await browser.wait(
            for: "the indexing of the upload", timeout: .seconds(300),  // all-minilm embeds on the CPU
            "const li = document.querySelector('#upload-results li[data-indexing]'); return li && li.dataset.indexing !== 'pending' && li.dataset.indexing !== 'indexing' ? li.dataset.indexing : ''") as? String
        #expect(indexed == "indexed")

        // A broken file: the error says where it is wrong.
        try await browser.type("#file-input", Self.packageRoot.appendingPathComponent("corpus/broken/truncated-events.json").path)
        let failed = try await browser.wait(
            for: "the upload error",
            "const li = document.querySelector('#upload-results li.failed'); return li ? li.textContent : ''") as? String
        #expect(failed?.contains("line 985") == true, "upload error: \(failed ?? "")")
        #expect(failed?.contains("malformed_json") == true, "upload error: \(failed ?? "")")
        try await shoot("upload-error", at: "upload")

        // Ask: the answer streams in, with citations that open the documents and trades used.
        try await browser.type("#question", "Which weekday should this bot avoid?")
        try await browser.click("#ask-button")
        let answer = try await browser.wait(
            for: "the answer",
            """
            const a = document.getElementById('answer');
            return a.getAttribute('aria-busy') === 'false' && document.querySelector('#citations li') ? a.textContent : '';
            """) as? String
        #expect(answer?.contains("No language model was used") == true, "answer: \(answer ?? "")")
        #expect(answer?.lowercased().contains("day") == true)
        try await shoot("ask", at: "ask")
        try await browser.click("#cited-documents a.document-link")
        let document = try await browser.wait(
            for: "the cited document",
            "const d = document.getElementById('detail'); return d.open && d.querySelector('pre.doc') ? d.querySelector('pre.doc').textContent : ''") as? String
        #expect((document?.count ?? 0) > 20)
        try await browser.click("#detail-close")
        let tradeLinks = try await browser.execute("return document.querySelectorAll('#citations a.trade-link').length") as? Int ?? 0
        #expect(tradeLinks > 0, "no citation links to a trade")
        if tradeLinks > 0 {
            try await browser.click("#citations a.trade-link")
            let position = try await browser.wait(
                for: "the cited trade",
                "const d = document.getElementById('detail'); return d.open && d.querySelector('td') ? d.querySelector('td').textContent : ''") as? String
            let linkText = try await browser.execute("return document.querySelector('#citations a.trade-link').textContent") as? String
            #expect(linkText == "trade \(position ?? "?")")
            try await browser.click("#detail-close")
        }

        // cBot: detected rules with evidence, untick one and regenerate, download the .cs.
        try await browser.click("#cbot-detect")
        let rules = try await browser.wait(
            for: "the detected rules",
            "const n = document.querySelectorAll('#cbot-rules li[data-rule]').length; return n > 0 && document.getElementById('cbot-report').textContent ? n : 0") as? Int ?? 0
        #expect(rules > 0)
        let evidence = try await browser.execute("return document.querySelector('#cbot-rules .evidence').textContent") as? String
        #expect((evidence?.count ?? 0) > 10, "a rule without evidence")
        try await shoot("cbot", at: "cbot")
        try await browser.click("#rule-0")
        try await browser.click("#cbot-regenerate")
        try await browser.wait(
            for: "the regenerated rules",
            "return document.querySelectorAll('#cbot-rules li[data-rule]').length === arguments[0] && !document.getElementById('cbot-regenerate').disabled",
            [rules - 1])
        try await browser.click("#cbot-download-cs")
        let source = try await Self.waitForDownload(in: downloads, suffix: ".cs")
        #expect(source.contains("using cAlgo.API;"))
        #expect(source.contains("class "))

        // An API key entered under Settings is kept in the browser and sent; with authentication off the
        // server ignores it and the page keeps working.
        try await browser.click(".settings summary")
        try await browser.type("#api-key", "local-test-key")
        try await browser.click("#save-key")
        let stored = try await browser.wait(
            for: "the saved key and the reloaded list",
            "return document.querySelectorAll('#backtest-select option').length > 1 && !document.body.dataset.loading ? localStorage.getItem('pipsight.apiKey') : ''") as? String
        #expect(stored == "local-test-key")
        try await browser.click("#clear-key")
        #expect(try await browser.execute("return localStorage.getItem('pipsight.apiKey')") == nil)

        // Contrast of text in both themes (WCAG AA: 4.5:1).
        for dark in [false, true] {
            try await browser.cdp("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": dark ? "dark" : "light"]]])
            let contrast = try await browser.execute(Self.contrastScript) as? [String: Any] ?? [:]
            #expect(contrast["dark"] as? Bool == dark)
            for key in ["text", "hintOnCard", "linkOnBody", "textOnCard"] {
                let ratio = (contrast[key] as? NSNumber)?.doubleValue ?? 0
                #expect(ratio >= 4.5, "\(dark ? "dark" : "light") theme: \(key) contrast \(ratio)")
            }
            if dark {
                try await shoot("backtest-dark", at: "overview")
            }
        }
    }

    static func run(_ arguments: [String], environment: [String: String], in folder: URL) throws {
        let process = Process()
        process.executableURL = KilledIngestTests.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "pipsight \(arguments.first ?? "") failed")
    }

    static func waitUntilReady(port: Int) async throws {
        let health = try #require(URL(string: "http://127.0.0.1:\(port)/readyz"))
        for _ in 0..<300 {
            if let (_, response) = try? await URLSession.shared.data(from: health), (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("pipsight serve did not become ready")
        throw WebDriver.Failure(description: "pipsight serve did not become ready")
    }

    static func waitForDownload(in folder: URL, suffix: String) async throws -> String {
        for _ in 0..<100 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if let name = names.first(where: { $0.hasSuffix(suffix) }) {
                return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(description: "no \(suffix) file was downloaded")
    }
}
