import Foundation
import PipsightTesting
import PostgresNIO
@testable import PostgresStore
import Testing

/// `ExactDecimal` against PostgreSQL's own text of the same `numeric` values.
@Suite("ExactDecimal")
struct ExactDecimalTests {
    static let values = [
        "0", "-0", "1", "-1", "0.5", "1.10", "1.5", "10000", "9999.9999", "-1234.56789012", "0.0001", "0.00001",
        "0.000000012345", "123456789012.3456", "-9999999999999999", "12345678901234567", "1e20", "-1.5e-20",
        "100000000", "1.23456789012345678901234567", "1.08765", "-41.7", "150.00", "0.10000",
    ]

    @Test("every value decodes to exactly the Decimal of PostgreSQL's text form, fast path or not")
    func matchesText() async throws {
        try await TestDatabase.withStore { store, _ in
            for text in Self.values {
                let rows = try await store.client.query(
                    "SELECT \(text)::numeric, (\(text)::numeric)::text", logger: store.logger)
                for try await (exact, printed) in rows.decode((ExactDecimal, String).self) {
                    let expected = try #require(Decimal(string: printed, locale: Locale(identifier: "en_US_POSIX")))
                    #expect(exact.value == expected, "\(text): \(exact.value) != \(printed)")
                }
            }
        }
    }

    @Test("NULL is nil, NaN is a decoding error")
    func nullAndNaN() async throws {
        try await TestDatabase.withStore { store, _ in
            let rows = try await store.client.query("SELECT NULL::numeric", logger: store.logger)
            for try await value in rows.decode(ExactDecimal?.self) { #expect(value == nil) }
            await #expect(throws: (any Error).self) {
                for try await _ in try await store.client.query("SELECT 'NaN'::numeric", logger: store.logger)
                    .decode(ExactDecimal.self) {}
            }
        }
    }
}
