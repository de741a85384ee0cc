import Foundation
import PipsightCore

/// Test inputs: the real events.json from ../shared and small hand-written files.
enum Fixtures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The real cTrader events.json (read-only, shared/samples/ctrader).
    static func realEvents() throws -> ImportInput {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/ctrader/events.json")
        return ImportInput(name: "events.json", data: try Data(contentsOf: url))
    }

    /// Facts about the real events.json, counted with an independent script (Python's json module), not with Pipsight.
    enum RealEvents {
        static let events = 3744
        static let closedPositions = 698
        static let buyPositions = 385
        static let stopLossCloses = 687
        static let manualCloses = 11
        static let grossProfitSum = Decimal(string: "34534.57")
    }
}
