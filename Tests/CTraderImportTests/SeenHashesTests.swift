import Testing

@testable import CTraderImport

@Suite("SeenHashes")
struct SeenHashesTests {
    @Test("inserted hashes are always found; others are rarely reported as seen")
    func membership() {
        var seen = SeenHashes(expected: 100_000)
        for value in 0..<UInt64(100_000) { seen.insert(value &* 0x100_0000_01b3) }
        for value in 0..<UInt64(100_000) { #expect(seen.contains(value &* 0x100_0000_01b3)) }
        var falsePositives = 0
        for value in UInt64(1_000_000)..<UInt64(1_100_000) where seen.contains(value &* 0x100_0000_01b3) {
            falsePositives += 1
        }
        // 16 bits and 8 probes per hash: about 0.06 % expected; 1 % would mean a broken filter.
        #expect(falsePositives < 1000)
    }

    @Test("non-adjacent rows of a position are still gathered into one trade")
    func nonAdjacentStillGrouped() throws {
        let text = "ID,Opening Direction,Opening Time,Closing Time,Net USD\n"
            + "1,Buy,02/01/2024 09:00:00,02/01/2024 10:00:00,1.00\n"
            + "2,Buy,02/01/2024 09:00:00,02/01/2024 10:00:00,2.00\n"
            + "1,Buy,02/01/2024 09:00:00,02/01/2024 11:00:00,3.00\n"
        let export = try CTraderJSONTestSupport.parseAll(HistoryCSVParser(), text, name: "h.csv")
        #expect(export.trades.map(\.positionId) == ["2", "1"])
        #expect(export.trades.last?.netProfit == 4)
        #expect(export.trades.last?.deals.count == 2)
    }
}
