import Foundation
import Hummingbird
import HummingbirdTesting
import PipsightTesting
import PostgresStore
import Server
import Testing

/// The per-key token bucket: `burst` requests at once, then `rate` per second; 429 with `Retry-After` beyond.
/// Time is a `ManualClock`, so refill is tested without sleeping.
@Suite("Rate limit")
struct RateLimitTests {
    @Test("a bucket allows the burst, then refuses with the seconds until a token is back, then refills")
    func bucket() {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter(rate: 0.5, burst: 3, clock: clock)
        #expect((0..<3).map { _ in limiter.take("a") } == Array(repeating: .allowed, count: 3))
        // One token takes 2 s at 0.5 per second.
        #expect(limiter.take("a") == .limited(retryAfterSeconds: 2))
        // Another client has its own bucket.
        #expect(limiter.take("b") == .allowed)
        clock.advance(by: 1)
        #expect(limiter.take("a") == .limited(retryAfterSeconds: 1))
        clock.advance(by: 1)
        #expect(limiter.take("a") == .allowed)
        #expect(limiter.take("a") == .limited(retryAfterSeconds: 2))
        // A long pause refills to the burst, not beyond it.
        clock.advance(by: 3_600)
        #expect((0..<4).map { _ in limiter.take("a") } == [.allowed, .allowed, .allowed, .limited(retryAfterSeconds: 2)])
    }

    /// A router with authentication on and a rate limit of 1 request per second, burst 2, on `clock`.
    static func withRouter(
        clock: ManualClock,
        _ body: @Sendable @escaping (any TestClientProtocol, BacktestStore) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore { store, url in
            var configuration = ServerConfiguration(database: url)
            configuration.rateLimitPerSecond = 1
            configuration.rateLimitBurst = 2
            let limiters = RequestLimiters(configuration: configuration, clock: clock)
            let router = buildRouter(store: store, configuration: configuration, limiters: limiters)
            try await Application(router: router, logger: TestDatabase.logger).test(.router) { try await body($0, store) }
        }
    }

    @Test("HTTP: after the burst a key gets 429 with Retry-After; another key is unaffected; after refill 200")
    func http() async throws {
        let clock = ManualClock()
        try await Self.withRouter(clock: clock) { client, store in
            let (_, first) = try await store.createAPIKey(name: "first", scopes: [.read])
            let (_, second) = try await store.createAPIKey(name: "second", scopes: [.read])
            let headers: HTTPFields = [.authorization: "Bearer \(first.text)"]
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/backtests", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/backtests", method: .get, headers: headers) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((object?["error"] as? [String: Any])?["code"] as? String == "rate_limited")
            }
            try await client.execute(
                uri: "/v1/backtests", method: .get, headers: [.authorization: "Bearer \(second.text)"]
            ) { response in
                #expect(response.status == .ok)
            }
            // Health checks are not limited.
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            clock.advance(by: 1)
            try await client.execute(uri: "/v1/backtests", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/backtests", method: .get, headers: headers) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    @Test("HTTP with authentication off: the client's address is limited")
    func byAddress() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            var configuration = ServerConfiguration(database: url)
            configuration.port = 0
            configuration.authDisabled = true
            configuration.rateLimitPerSecond = 0.001
            configuration.rateLimitBurst = 1
            let app = try buildApplication(configuration: configuration, logger: TestDatabase.logger)
            try await app.test(.live) { client in
                try await client.execute(uri: "/v1/backtests", method: .get) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/v1/backtests", method: .get) { response in
                    #expect(response.status == .tooManyRequests)
                    // 1000 s for a token at 0.001/s, less the time the first request took (seconds on a
                    // loaded machine, 13 s once in a parallel run): a real clock runs here.
                    let seconds = response.headers[.retryAfter].flatMap { Int($0) }
                    #expect(seconds.map { (900...1000).contains($0) } == true, "Retry-After \(seconds.map(String.init) ?? "missing")")
                }
            }
        }
    }
}
