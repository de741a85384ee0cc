import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightCore
import PipsightTesting
import Server
import Testing

/// `GET /` and `/assets/…` serve the web page with content types, caching headers and 304s; the endpoints the
/// page adds (`heatmap`, `trades`, `documents`) answer.
@Suite("HTTP API: web page and its endpoints")
struct WebRoutesTests {
    static func upload(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(
            uri: "/v1/backtests?name=events.json", method: .post, body: ByteBuffer(bytes: ServerTests.events)
        ) { response in
            let files = try #require(try ServerTests.json(response.body)["files"] as? [[String: Any]])
            return try #require(files.first?["id"] as? String)
        }
    }

    @Test("GET / is the page, its assets have content types, versioned URLs are cached for good, ETags give 304")
    func page() async throws {
        try await ServerTests.withServer { client in
            let page: (html: String, etag: String?) = try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                return (String(buffer: response.body), response.headers[.eTag])
            }
            #expect(page.html.contains("<title>Pipsight</title>"))
            #expect(!page.html.contains("__VERSION__"))
            let etag = try #require(page.etag)
            let version = try #require(Self.version(in: page.html))
            try await Self.checkNotModified(client, etag: etag)
            try await Self.checkAssets(client, version: version)
        }
    }

    /// The 12-hex-digit asset hash the page names its script with.
    static func version(in html: String) -> String? {
        guard let match = html.firstRange(of: "app.js?v=") else { return nil }
        let hash = String(html[match.upperBound...].prefix(12))
        return hash.count == 12 && hash.allSatisfy(\.isHexDigit) ? hash : nil
    }

    static func checkNotModified(_ client: any TestClientProtocol, etag: String) async throws {
        var headers = HTTPFields()
        headers[.ifNoneMatch] = etag
        try await client.execute(uri: "/", method: .get, headers: headers) { response in
            #expect(response.status == .notModified)
            #expect(response.body.readableBytes == 0)
        }
    }

    static func checkAssets(_ client: any TestClientProtocol, version: String) async throws {
        try await client.execute(uri: "/assets/app.js?v=\(version)", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(String(buffer: response.body).contains("/v1/backtests"))
        }
        try await client.execute(uri: "/assets/app.js?v=stale", method: .get) { response in
            #expect(response.headers[.cacheControl] == "no-cache")
        }
        let types: [(String, String)] = [
            ("app.css", "text/css; charset=utf-8"), ("charts.js", "text/javascript; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
        ]
        for (path, type) in types {
            try await client.execute(uri: "/assets/\(path)", method: .get) { response in
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == type, "\(path)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
        try await client.execute(uri: "/assets/missing.js", method: .get) { response in
            #expect(response.status == .notFound)
            let error = try #require(try ServerTests.json(response.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "not_found")
        }
        try await client.execute(uri: "/assets/..%2FWebAssets.swift", method: .get) { response in
            #expect(response.status == .notFound)
        }
    }

    @Test("the heat map groups trades by open weekday and hour in the asked time zone")
    func heatmap() async throws {
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client)
            // Both fixture positions open on Tuesday 2023-11-14 around 22:13 UTC (epoch 1700000000000): one
            // winner of +100 and one loser of -100.
            try await client.execute(uri: "/v1/backtests/\(id)/heatmap", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                let cells = try #require(body["cells"] as? [[String: Any]])
                #expect(cells.count == 1)
                #expect(cells.first?["weekday"] as? Int == 2)
                #expect(cells.first?["hour"] as? Int == 22)
                #expect(cells.first?["tradeCount"] as? Int == 2)
                #expect((cells.first?["netProfit"] as? NSNumber)?.doubleValue == 0)
            }
            // Tokyo is 9 hours ahead: Wednesday 07:13.
            try await client.execute(uri: "/v1/backtests/\(id)/heatmap?timeZone=Asia/Tokyo", method: .get) { response in
                let body = try ServerTests.json(response.body)
                #expect(body["timeZone"] as? String == "Asia/Tokyo")
                let cells = try #require(body["cells"] as? [[String: Any]])
                #expect(cells.first?["weekday"] as? Int == 3)
                #expect(cells.first?["hour"] as? Int == 7)
            }
            try await client.execute(uri: "/v1/backtests/\(id)/heatmap?timeZone=Mars/Base", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/backtests/\(UUID().uuidString)/heatmap", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("trades by position id and by page; documents by id")
    func tradesAndDocuments() async throws {
        try await ServerTests.withServer { client in
            let id = try await Self.upload(client)
            try await client.execute(uri: "/v1/backtests/\(id)/trades?positionIds=2", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                #expect(body["total"] as? Int == 2)
                let trades = try #require(body["trades"] as? [[String: Any]])
                #expect(trades.count == 1)
                #expect(trades.first?["positionId"] as? String == "2")
                #expect(trades.first?["direction"] as? String == "sell")
            }
            try await client.execute(uri: "/v1/backtests/\(id)/trades?limit=1&offset=1", method: .get) { response in
                let trades = try #require(try ServerTests.json(response.body)["trades"] as? [[String: Any]])
                #expect(trades.map { $0["positionId"] as? String } == ["2"])
            }
            try await client.execute(uri: "/v1/backtests/\(id)/trades?limit=0", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            _ = try await BackgroundIndexingTests.finalStatus(client, id: id)
            let documentID = "\(id.lowercased())/statistics"
            try await client.execute(uri: "/v1/documents?id=\(documentID)", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ServerTests.json(response.body)
                #expect(body["id"] as? String == documentID)
                #expect(body["kind"] as? String == "statistics")
                #expect((body["body"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/v1/documents?id=nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/documents", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
