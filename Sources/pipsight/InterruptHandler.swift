import Dispatch
import Foundation
import Synchronization

/// Ctrl-C for the long-running commands: the first SIGINT (or SIGTERM) prints what happened to the work and
/// exits 130 at once, whatever thread is busy parsing. Exiting closes the PostgreSQL connection, so a transaction
/// that was not committed yet (the file being stored) is rolled back by the server; nothing half-stored remains.
///
/// Installed explicitly, so it also works where the shell started the process with SIGINT ignored (a background
/// job of a non-interactive script, as `scripts/bench/scale` runs it).
enum InterruptHandler {
    /// Keeps the installed sources alive for the life of the process.
    private static let sources = Mutex<[Installed]>([])

    /// A signal source, only ever resumed once and then kept (never touched again).
    private struct Installed: @unchecked Sendable {
        let source: any DispatchSourceSignal
    }

    /// Exits 130 with `message` on standard error at the first SIGINT or SIGTERM.
    static func exitOnInterrupt(message: String) {
        let installed = [SIGINT, SIGTERM].map { number -> Installed in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInteractive))
            source.setEventHandler {
                Terminal.clearProgress()
                Terminal.error(message)
                exit(130)
            }
            source.resume()
            return Installed(source: source)
        }
        sources.withLock { $0 += installed }
    }
}
