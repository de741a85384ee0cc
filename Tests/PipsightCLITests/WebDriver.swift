import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import Testing

/// A minimal W3C WebDriver client for headless Chromium through `chromedriver` (Debian packages `chromium` and
/// `chromium-driver`, installed by scripts/setup): JSON over HTTP with AsyncHTTPClient (Foundation's URLSession
/// on Linux rejects chromedriver's `Name:value` headers), one session.
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// The browser test runs where Chromium is installed, and always in CI (where its absence is a failure).
    static var available: Bool {
        (chromium != nil && driver != nil) || ProcessInfo.processInfo.environment["CI"] != nil
    }

    let process: Process
    let base: URL
    private(set) var session = ""

    /// Starts chromedriver on a free port and a headless browser session with `downloads` as download folder.
    init(port: Int, downloads: URL) async throws {
        guard let chromium = Self.chromium, let driver = Self.driver else {
            throw Failure(description: "chromium and chromedriver are not installed: run scripts/setup")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let base = URL(string: "http://127.0.0.1:\(port)") else { throw Failure(description: "bad port") }
        self.base = base
        var ready = false
        for _ in 0..<100 where !ready {
            if let status = try? await send("GET", "/status") as? [String: Any], status["ready"] as? Bool == true {
                ready = true
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        guard ready else {
            await close()
            throw Failure(description: "chromedriver did not start")
        }
        let capabilities: [String: Any] = [
            "browserName": "chrome",
            "goog:chromeOptions": [
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1200", "--no-first-run", "--lang=en-GB",
                ],
                "prefs": ["download.default_directory": downloads.path, "download.prompt_for_download": false],
            ] as [String: Any],
        ]
        let created = try await send("POST", "/session", ["capabilities": ["alwaysMatch": capabilities]])
        guard let id = (created as? [String: Any])?["sessionId"] as? String else {
            await close()
            throw Failure(description: "no WebDriver session: \(String(describing: created))")
        }
        session = id
        _ = try await cdp("Browser.setDownloadBehavior", ["behavior": "allow", "downloadPath": downloads.path])
    }

    /// Ends the session and chromedriver (which ignores SIGTERM).
    func close() async {
        if !session.isEmpty {
            _ = try? await send("DELETE", "/session/\(session)")
            session = ""
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// One WebDriver command; returns its `value`.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: Any? = nil) async throws -> Any? {
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = .init(rawValue: method)
        if let body = body ?? (method == "POST" ? [String: Any]() : nil) {
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let value = (object as? [String: Any])?["value"]
        if let error = value as? [String: Any], let kind = error["error"] as? String {
            throw Failure(description: "WebDriver \(method) \(path): \(kind): \(error["message"] as? String ?? "")")
        }
        return value is NSNull ? nil : value
    }

    /// A session command.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: Any? = nil) async throws -> Any? {
        try await send(method, "/session/\(session)\(path)", body)
    }

    /// A Chrome DevTools Protocol command through chromedriver.
    @discardableResult
    func cdp(_ command: String, _ parameters: [String: Any]) async throws -> Any? {
        try await self.command("POST", "/goog/cdp/execute", ["cmd": command, "params": parameters])
    }

    func navigate(_ url: String) async throws {
        try await command("POST", "/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments` are its arguments) in the page and returns its result.
    @discardableResult
    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": arguments])
    }

    /// The element matching a CSS selector (its WebDriver reference).
    func element(_ css: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": css])
        guard let reference = (value as? [String: Any])?.values.first as? String else {
            throw Failure(description: "no element \(css)")
        }
        return reference
    }

    func click(_ css: String) async throws {
        try await command("POST", "/element/\(try await element(css))/click")
    }

    func type(_ css: String, _ text: String) async throws {
        try await command("POST", "/element/\(try await element(css))/value", ["text": text])
    }

    /// Presses one key (W3C key code, e.g. "\u{E004}" for Tab) with the keyboard.
    func press(_ key: String) async throws {
        let actions: [[String: Any]] = [[
            "type": "key", "id": "keyboard",
            "actions": [["type": "keyDown", "value": key], ["type": "keyUp", "value": key]],
        ]]
        try await command("POST", "/actions", ["actions": actions])
    }

    /// Polls `script` until it returns something truthy (not nil, false, 0 or ""); returns that value.
    @discardableResult
    func wait(
        for what: String, timeout: Duration = .seconds(20), _ script: String, _ arguments: [Any] = []
    ) async throws -> Any {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let value = try await execute(script, arguments)
            switch value {
            case nil: break
            case let flag as Bool where !flag: break
            case let text as String where text.isEmpty: break
            case let number as NSNumber where number.doubleValue == 0: break
            case let value?: return value
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let page = (try? await execute("return document.getElementById('status')?.textContent || ''")) as? String ?? ""
        throw Failure(description: "timed out waiting for \(what) (page status: \(page))")
    }

    /// A PNG screenshot of the element matching a CSS selector.
    func screenshot(of css: String) async throws -> Data {
        guard let text = try await command("GET", "/element/\(try await element(css))/screenshot") as? String,
              let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }
}
