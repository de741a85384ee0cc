import Foundation
import PipsightCore
import Synchronization

/// Progress within one large file during `pipsight ingest`: how far the reading thread has got, from the
/// mapping's page hand-backs (`MappedFile.observeProgress`). Every pass over the file is reported on its own:
/// the first hashes it (SHA-256, to skip a file stored before), the next ones parse it (the History CSV parser
/// reads it twice). On a terminal a bar redrawn at most 5 times a second on standard error; otherwise a plain
/// line on standard error at every 10 % of a pass. Files under `minimumBytes` report nothing.
final class FileProgress: Sendable {
    /// Files smaller than this get no progress within the file: `PIPSIGHT_PROGRESS_MIN_BYTES`, default 64 MiB.
    static var minimumBytes: Int {
        ProcessInfo.processInfo.environment["PIPSIGHT_PROGRESS_MIN_BYTES"].flatMap { Int($0) }.map { max(0, $0) }
            ?? 64 << 20
    }

    private struct State {
        var pass = 1
        var lastOffset = 0
        var lastStep = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let label: String
    private let interactive: Bool
    private let state = Mutex(State())

    init(label: String, interactive: Bool = Terminal.isInteractive) {
        self.label = label
        self.interactive = interactive
    }

    /// Reports the progress of `mapping` from now on, when it is at least `minimumBytes` long.
    static func attach(to mapping: MappedFile, label: String) {
        guard mapping.data.count >= max(1, minimumBytes) else { return }
        let progress = FileProgress(label: label)
        mapping.observeProgress { offset, length in progress.update(offset: offset, length: length) }
    }

    /// The text for a pass: what it does.
    static func phase(pass: Int) -> String {
        pass == 1 ? "hashing" : "reading (pass \(pass - 1))"
    }

    func update(offset: Int, length: Int) {
        guard length > 0 else { return }
        let line: String? = state.withLock { state in
            if offset < state.lastOffset {
                state.pass += 1
                state.lastStep = 0
            }
            state.lastOffset = offset
            let percent = min(100, offset * 100 / length)
            let phase = Self.phase(pass: state.pass)
            let sizes = "\(Self.gigabytes(offset)) of \(Self.gigabytes(length)) GB"
            if interactive {
                let now = ContinuousClock.now
                if let last = state.lastDraw, now - last < .milliseconds(200), percent < 100 { return nil }
                state.lastDraw = now
                let width = 24
                let filled = min(width, percent * width / 100)
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                let text = "\r[\(bar)] \(percent)% \(sizes) \(phase) \(label.prefix(24))"
                return text.padding(toLength: 80, withPad: " ", startingAt: 0)
            }
            let step = percent / 10
            guard step > state.lastStep else { return nil }
            state.lastStep = step
            return "\(label): \(phase) \(percent)% (\(sizes))\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    static func gigabytes(_ bytes: Int) -> String {
        String(format: "%.2f", Double(bytes) / 1e9)
    }
}
