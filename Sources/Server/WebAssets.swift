import Crypto
import Foundation
import Logging
import PipsightCore

/// The web page's files (`Sources/Server/Web`, copied next to the binary by SwiftPM as
/// `pipsight_Server.resources/Web`), read once into memory and served by `WebRoutes`.
///
/// `index.html` names its scripts and styles with `?v=__VERSION__`; the placeholder is replaced by a hash of all
/// files, so those URLs can be cached for good while the page itself is always revalidated.
struct WebAssets: Sendable {
    /// One file ready to send.
    struct Asset: Sendable {
        var data: Data
        var contentType: String
        /// A strong entity tag: a hash of the bytes.
        var etag: String
    }

    /// Files by path relative to the web root (`index.html`, `assets/app.js`).
    var files: [String: Asset]
    /// Hash of all files, the `v` query value of cacheable asset URLs.
    var version: String

    /// Reads every file under `directory` (one level of subfolders).
    init(directory: URL) throws {
        var raw: [String: Data] = [:]
        let fileManager = FileManager.default
        guard let enumerator = fileManager.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw PipsightError(.configuration, "the web page's files cannot be listed at \(directory.path)")
        }
        let rootPath = directory.standardizedFileURL.resolvingSymlinksInPath().path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(rootPath + "/") else { continue }
            let relative = String(path.dropFirst(rootPath.count + 1))
            do {
                raw[relative] = try Data(contentsOf: url)
            } catch {
                throw PipsightError(.io, "the web page's file \(relative) cannot be read: \(error.localizedDescription)")
            }
        }
        guard raw["index.html"] != nil else {
            throw PipsightError(.configuration, "the web page's index.html is missing from \(directory.path)")
        }
        var hasher = SHA256()
        for key in raw.keys.sorted() {
            hasher.update(data: Data(key.utf8))
            hasher.update(data: raw[key] ?? Data())
        }
        version = String(Self.hex(hasher.finalize()).prefix(12))
        var files: [String: Asset] = [:]
        for (path, data) in raw {
            var bytes = data
            if path == "index.html", let text = String(data: data, encoding: .utf8) {
                bytes = Data(text.replacingOccurrences(of: "__VERSION__", with: version).utf8)
            }
            files[path] = Asset(
                data: bytes, contentType: Self.contentType(of: path),
                etag: "\"\(Self.hex(SHA256.hash(data: bytes)).prefix(16))\"")
        }
        self.files = files
    }

    /// The web root: `PIPSIGHT_WEB_ROOT` when set (to edit the page without rebuilding), else the resource
    /// bundle next to the running executable, wherever it was started from.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let root = environment["PIPSIGHT_WEB_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root, isDirectory: true)
        }
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent())
        }
        let fileManager = FileManager.default
        for folder in folders {
            for bundle in ["pipsight_Server.resources", "pipsight_Server.bundle", "pipsight_Server.bundle/Contents/Resources"] {
                let candidate = folder.appendingPathComponent(bundle).appendingPathComponent("Web")
                if fileManager.fileExists(atPath: candidate.appendingPathComponent("index.html").path) {
                    return candidate
                }
            }
        }
        return nil
    }

    /// The assets of this installation, or nil (logged) when they cannot be found or read: the API still serves.
    static func installed(logger: Logger) -> WebAssets? {
        guard let directory = locate() else {
            logger.warning("the web page's files are not next to the pipsight binary (pipsight_Server.resources/Web); GET / is unavailable")
            return nil
        }
        do {
            return try WebAssets(directory: directory)
        } catch {
            logger.warning("the web page cannot be loaded", metadata: ["error": "\(error)"])
            return nil
        }
    }

    static func contentType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json": "application/json; charset=utf-8"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
