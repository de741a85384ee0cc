import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightTesting
import Testing

/// U+0000 in input, found by `scripts/api-check` (schemathesis): PostgreSQL text and jsonb cannot hold it, so each
/// of these was a 503 `database_error` before. Odd input must get a 4xx, or be stored without the NUL.
@Suite("HTTP API: NUL characters in input")
struct NULInputTests {
    @Test("GET /v1/documents with a NUL in the id is 404, not a database error")
    func documentID() async throws {
        try await ServerTests.withServer { client in
            try await client.execute(uri: "/v1/documents?id=%00abc", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try #require(try ServerTests.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
            }
        }
    }

    @Test("POST /v1/query with a NUL in the question is 400 naming it")
    func question() async throws {
        try await ServerTests.withServer { client in
            try await client.execute(
                uri: "/v1/query", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"question": "which weekday\u0000 lost most?"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try ServerTests.json(response.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "bad_request")
                #expect((error["message"] as? String)?.contains("NUL") == true)
            }
        }
    }

    @Test("an upload named with a NUL, holding a NUL in a kept field, is stored without the NUL")
    func upload() async throws {
        // An unknown key is kept in the event's `extra` (jsonb), which refuses the escape \u0000.
        let events = TestFixtures.smallEvents.replacingOccurrences(
            of: #""serial": 0,"#, with: #""serial": 0, "comment": "tag\u0000ged","#)
        #expect(events != TestFixtures.smallEvents)
        try await ServerTests.withServer { client in
            try await client.execute(
                uri: "/v1/backtests?name=ev%00ents.json", method: .post, body: ByteBuffer(string: events)
            ) { response in
                #expect(response.status == .created)
                let files = try #require(try ServerTests.json(response.body)["files"] as? [[String: Any]])
                #expect(files.first?["status"] as? String == "ingested")
                #expect(files.first?["file"] as? String == "events.json")
                #expect(files.first?["trades"] as? Int == 2)
            }
            try await client.execute(uri: "/v1/backtests", method: .get) { response in
                let list = try #require(try ServerTests.json(response.body)["backtests"] as? [[String: Any]])
                #expect(list.map { $0["sourceName"] as? String } == ["events.json"])
            }
        }
    }
}
