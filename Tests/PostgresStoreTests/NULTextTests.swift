import Foundation
import PipsightCore
import PipsightTesting
import PostgresNIO
@testable import PostgresStore
import Testing

/// PostgreSQL text and jsonb cannot hold U+0000; an export carrying one used to fail its whole ingest with a
/// `database_error` (a 503 on upload, found by scripts/api-check). It is dropped, as the COPY rows already did.
@Suite("Storing exports: NUL characters")
struct NULTextTests {
    @Test("NULs in the file name, header fields and kept JSON are dropped, and the export is stored")
    func header() async throws {
        let url = Fixtures.packageRoot.appendingPathComponent("corpus/eurusd-report.json")
        let original = try String(contentsOf: url, encoding: .utf8)
        // The first "symbol" is main's (the trades have one each too).
        var edited = original
        let symbol = try #require(edited.range(of: #""symbol": "EURUSD","#))
        edited.replaceSubrange(symbol, with: #""symbol": "EUR\u0000USD", "desk": "a\u0000b","#)
        edited = edited.replacingOccurrences(
            of: #""brokerTitle": "Pipsight Sample Broker""#, with: #""brokerTitle": "Pipsight\u0000 Broker""#)
        #expect(edited.components(separatedBy: "\\u0000").count == 4)
        let data = Data(edited.utf8)
        try await TestDatabase.withStore { store, _ in
            let outcome = try await store.ingest(ImportInput(name: "report\u{0}.json", data: data))
            guard case .ingested(let backtest) = outcome else {
                Issue.record("expected a new backtest, got \(outcome)")
                return
            }
            #expect(backtest.trades == 300)
            let summary = try #require(try await store.summary(id: backtest.id))
            #expect(summary.symbol == "EURUSD")
            #expect(summary.sourceName == "report.json")
            let rows = try await store.client.query(
                "SELECT broker, extra -> 'main' ->> 'desk' FROM backtests WHERE id = \(backtest.id)", logger: store.logger)
            var found = false
            for try await (broker, desk) in rows.decode((String?, String?).self) {
                found = true
                #expect(broker == "Pipsight Broker")
                #expect(desk == "ab")
            }
            #expect(found)
        }
    }

    @Test("PostgresText.text drops U+0000 only")
    func text() {
        #expect(PostgresText.text("a\u{0}b\u{1}c é") == "ab\u{1}c é")
        #expect(PostgresText.text("plain") == "plain")
    }

    @Test("PostgresText.json drops U+0000 from strings and keys, and leaves an escaped backslash-u alone")
    func json() {
        let value = JSONValue.object(["k\u{0}": .array([.string("x\u{0}y"), .number(1)]), "path": .string("C:\\u0000")])
        #expect(PostgresText.json(value) == #"{"k":["xy",1],"path":"C:\\u0000"}"#)
    }
}
