import Foundation
import PipsightCore

/// Expands the paths given on the command line: files as they are, directories recursively (hidden files skipped),
/// sorted so runs are repeatable.
enum FileList {
    static func expand(_ paths: [String]) throws -> [URL] {
        var result: [URL] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PipsightError(.io, "no such file or directory", location: ErrorLocation(file: path))
            }
            let url = URL(fileURLWithPath: path)
            if !isDirectory.boolValue {
                result.append(url)
                continue
            }
            guard let enumerator = manager.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { continue }
            var found: [URL] = []
            for case let file as URL in enumerator {
                if (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(file) }
            }
            result.append(contentsOf: found.sorted { $0.path < $1.path })
        }
        return result
    }

    /// The path as the user would write it: relative to the working directory when it lies below it.
    static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
