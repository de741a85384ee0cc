import Synchronization

/// The state shared by the routes and the server object.
final class StubCore: Sendable {
    let state: Mutex<StubState>

    init(options: OllamaStubServer.Options) {
        state = Mutex(StubState(options: options))
    }
}

/// The stub's mutable state.
struct StubState: Sendable {
    var options: Options
    var faults: [OllamaStubServer.Fault] = []
    var requests: [OllamaStubServer.RecordedRequest] = []
    var loaded: Set<String> = []
    var loadOrder: [String] = []

    typealias Options = OllamaStubServer.Options

    init(options: Options) {
        self.options = options
    }

    /// Removes and returns the first queued fault `fits` accepts (a `busy` counts down instead).
    mutating func takeFault(where fits: (OllamaStubServer.Fault) -> Bool) -> OllamaStubServer.Fault? {
        guard let index = faults.firstIndex(where: fits) else { return nil }
        let fault = faults[index]
        if case .busy(let times) = fault, times > 1 {
            faults[index] = .busy(times: times - 1)
        } else {
            faults.remove(at: index)
        }
        return fault
    }
}
