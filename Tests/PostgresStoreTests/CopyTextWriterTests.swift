import Foundation
import NIOCore
@testable import PostgresStore
import Testing

@Suite("COPY text encoding")
struct CopyTextWriterTests {
    @Test("special characters are escaped as PostgreSQL's text format requires")
    func escapes() {
        var writer = CopyTextWriter()
        writer.text("a\tb\\c\nd\re")
        writer.null()
        writer.text("plain")
        writer.endRow()
        let text = writer.allChunks.map { String(buffer: $0) }.joined()
        #expect(text == "a\\tb\\\\c\\nd\\re\t\\N\tplain\n")
        #expect(writer.rowCount == 1)
    }

    @Test("timestamps match Foundation's ISO 8601 formatting, before and after 1970")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            var buffer = ByteBuffer()
            TimestampText.write(date, into: &buffer)
            let expected = formatter.string(from: date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "+00")
            #expect(String(buffer: buffer) == expected)
        }
    }

    @Test("large inputs are split into bounded chunks")
    func chunks() {
        var writer = CopyTextWriter()
        let long = String(repeating: "x", count: 1000)
        for _ in 0..<3000 {
            writer.text(long)
            writer.endRow()
        }
        #expect(writer.allChunks.count >= 2)
        #expect(writer.allChunks.allSatisfy { $0.readableBytes < CopyTextWriter.chunkSize + 4096 })
        #expect(writer.allChunks.map(\.readableBytes).reduce(0, +) == 3000 * 1001)
    }
}
