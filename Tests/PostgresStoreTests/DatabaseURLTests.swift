import PipsightCore
import PostgresStore
import Testing

@Suite("Database URL")
struct DatabaseURLTests {
    @Test("a full URL is read part by part")
    func parses() throws {
        let url = try DatabaseURL("postgres://trader:secret@127.0.0.1:5433/pipsight?sslmode=disable")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5433)
        #expect(url.username == "trader")
        #expect(url.password == "secret")
        #expect(url.database == "pipsight")
        #expect(url.requireTLS == false)
        #expect(!url.description.contains("secret"))
    }

    @Test("missing pieces give a configuration error that shows the expected shape", arguments: [
        "mysql://x@y/z", "postgres://127.0.0.1:5432/", "not a url",
    ])
    func rejects(_ text: String) {
        let error = #expect(throws: PipsightError.self) { try DatabaseURL(text) }
        #expect(error?.code == .configuration)
    }

    @Test("an unset environment variable says how to start the database")
    func unset() {
        let error = #expect(throws: PipsightError.self) { try DatabaseURL.fromEnvironment([:]) }
        #expect(error?.message.contains("scripts/pg start") == true)
    }
}
