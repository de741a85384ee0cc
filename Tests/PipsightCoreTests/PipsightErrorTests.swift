import PipsightCore
import Testing

@Suite("Errors")
struct PipsightErrorTests {
    @Test("an error reads file, line, path and message in that order")
    func description() {
        let error = PipsightError(
            .wrongType, "expected epoch milliseconds, got \"abc\"",
            location: ErrorLocation(file: "events.json", line: 5012, path: "[412].time", field: "time"))
        #expect(error.description == "events.json: line 5012: [412].time: expected epoch milliseconds, got \"abc\"")
    }

    @Test("the field stands in for a missing path; empty locations add nothing")
    func fieldOnly() {
        let csv = PipsightError(.malformedCSV, "bad", location: ErrorLocation(file: "h.csv", line: 3, field: "Net USD"))
        #expect(csv.description == "h.csv: line 3: Net USD: bad")
        #expect(PipsightError(.io, "gone", location: ErrorLocation()).description == "gone")
    }

    @Test("inFile names the file and keeps the rest of the location")
    func inFile() {
        let error = PipsightError(.missingField, "no time", location: ErrorLocation(line: 2, path: "[0]"))
        let named = error.inFile("events.json")
        #expect(named.location == ErrorLocation(file: "events.json", line: 2, path: "[0]"))
        #expect(named.code == .missingField)
    }
}

@Suite("Timeouts")
struct TimeoutTests {
    @Test("a slow operation is cut off with TimeoutError")
    func cutsOff() async {
        await #expect(throws: TimeoutError.self) {
            try await withTimeout(.milliseconds(50)) { try await Task.sleep(for: .seconds(30)) }
        }
    }

    @Test("a fast operation returns its value")
    func returns() async throws {
        let value = try await withTimeout(.seconds(5)) { 42 }
        #expect(value == 42)
    }
}
