import Foundation
import PipsightCore
@testable import Server
import Testing

/// Where the web page's files are found and how they are prepared.
@Suite("Web assets")
struct WebAssetsTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pipsight-web-assets-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test("PIPSIGHT_WEB_ROOT wins; otherwise the bundle next to the test binary is found")
    func locate() throws {
        #expect(WebAssets.locate(environment: ["PIPSIGHT_WEB_ROOT": "/srv/page"])?.path == "/srv/page")
        let installed = try #require(WebAssets.locate(environment: [:]))
        #expect(installed.lastPathComponent == "Web")
        #expect(FileManager.default.fileExists(atPath: installed.appendingPathComponent("assets/app.js").path))
    }

    @Test("the page's __VERSION__ becomes the hash of all files; a change to any file changes it")
    func version() throws {
        let page = "<script src=\"assets/a.js?v=__VERSION__\"></script>"
        let first = try Self.folder(["index.html": page, "assets/a.js": "one()"])
        let second = try Self.folder(["index.html": page, "assets/a.js": "two()"])
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let a = try WebAssets(directory: first), b = try WebAssets(directory: second)
        #expect(a.version.count == 12)
        #expect(a.version != b.version)
        let html = String(decoding: try #require(a.files["index.html"]).data, as: UTF8.self)
        #expect(html == "<script src=\"assets/a.js?v=\(a.version)\"></script>")
        #expect(a.files["assets/a.js"]?.contentType == "text/javascript; charset=utf-8")
        #expect(a.files["assets/a.js"]?.etag != b.files["assets/a.js"]?.etag)
    }

    @Test("a folder without index.html is refused with a configuration error")
    func missingIndex() throws {
        let root = try Self.folder(["assets/a.js": "x"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try WebAssets(directory: root) } throws: { ($0 as? PipsightError)?.code == .configuration }
    }
}
