#if !FUZZING
import Foundation

/// Without `-D FUZZING` the harness is a replayer: `PipsightFuzz [--target NAME] PATH…` runs every file
/// (directories are walked) through the named target, or through all of them, and prints one line per run.
/// It is how a crash input found by `scripts/fuzz` is reproduced under a debugger or a normal build.
@main
struct PipsightFuzzReplay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var targets = FuzzTarget.allCases
        if let flag = arguments.firstIndex(of: "--target"), flag + 1 < arguments.count {
            guard let target = FuzzTarget(rawValue: arguments[flag + 1]) else {
                write("unknown target \(arguments[flag + 1]); one of \(FuzzTarget.allCases.map(\.rawValue))")
                exit(2)
            }
            targets = [target]
            arguments.removeSubrange(flag...(flag + 1))
        }
        guard !arguments.isEmpty else {
            write("usage: PipsightFuzz [--target \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))] FILE|DIR…")
            exit(2)
        }
        var runs = 0
        for path in files(arguments) {
            guard let data = FileManager.default.contents(atPath: path) else {
                write("\(path): cannot read")
                continue
            }
            for target in targets {
                switch target.run(data) {
                case .success(let records): write("\(target.rawValue) \(path): ok, \(records) records")
                case .failure(let error): write("\(target.rawValue) \(path): rejected: \(error.code): \(error.message)")
                }
                runs += 1
            }
        }
        write("replayed \(runs) runs without a crash")
    }

    /// The regular files named, directories expanded (sorted, recursively).
    private static func files(_ paths: [String]) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let children = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                result += files(children.sorted().map { (path as NSString).appendingPathComponent($0) })
            } else {
                result.append(path)
            }
        }
        return result
    }

    private static func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
#endif
