import Analytics
import Foundation
import PipsightCore
import PipsightTesting
import Testing

/// Columns built in chunks (`TradeColumnsBuilder.takeChunk()`) and appended back together
/// (`TradeColumns.append(chunk:)`) are the columns built in one piece: across chunk boundaries, with partial
/// closes, symbols that first appear in a later chunk and a later chunk with more decimals.
@Suite struct TradeColumnChunksTests {
    static func chunked(_ trades: [Trade], size: Int) throws -> (TradeColumns, chunks: Int) {
        var builder = TradeColumnsBuilder()
        var parts: [TradeColumns] = []
        for trade in trades {
            builder.append(trade)
            if builder.pendingCount == size {
                let chunk = builder.takeChunk()
                parts.append(try #require(chunk))
            }
        }
        if builder.pendingCount > 0 {
            let chunk = builder.takeChunk()
            parts.append(try #require(chunk))
        }
        var whole = TradeColumns()
        for part in parts {
            let appended = whole.append(chunk: part)
            #expect(appended)
        }
        return (whole, parts.count)
    }

    @Test func chunksAppendToTheWholeColumns() throws {
        var trades = SampleGenerator(seed: 51, trades: 300).pipsightTrades()
        #expect(trades.contains { $0.deals.count > 1 })
        // A symbol only in the third chunk, a trade without one, and more decimals from the fifth chunk on.
        trades[130].symbol = "GBPJPY"
        trades[131].symbol = nil
        trades[250].netProfit = Decimal(string: "1.2345")
        let expected = try #require(TradeColumns(trades: trades))
        for size in [1, 7, 64, 299, 300, 1000] {
            let (whole, count) = try Self.chunked(trades, size: size)
            #expect(count == (300 + size - 1) / size)
            // Same values; symbol indices may differ only through the order symbols were met, which is the same.
            #expect(whole == expected, "chunks of \(size)")
        }
        let (whole, _) = try Self.chunked(trades, size: 64)
        #expect(whole.moneyScale == 4)
        #expect(whole.deals.count == expected.deals.count)
        #expect(whole.deals.map(\.tradeSeq) == expected.deals.map(\.tradeSeq))
    }

    @Test func statisticsOfChunkedColumnsAgree() throws {
        let generator = SampleGenerator(seed: 52, trades: 400)
        let trades = generator.pipsightTrades()
        let (whole, _) = try Self.chunked(trades, size: 37)
        let capital = Decimal(generator.startingCapital)
        let result = try #require(ColumnarStatistics.compute(
            whole, startingCapital: capital, breakdowns: BreakdownDimension.allCases, timeZone: .gmt))
        let oneColumns = try #require(TradeColumns(trades: trades))
        let one = try #require(ColumnarStatistics.compute(
            oneColumns, startingCapital: capital, breakdowns: BreakdownDimension.allCases, timeZone: .gmt))
        StatisticsAgreement.expectSame(result.statistics, one.statistics)
        #expect(result.breakdowns == one.breakdowns)
        #expect(result.statistics.all.netProfit == generator.groundTruth.netProfit)
        #expect(result.statistics.all.tradeCount == 400)
    }

    @Test func anAbandonedBuilderGivesNoChunk() {
        var trades = SampleGenerator(seed: 53, trades: 10).pipsightTrades()
        trades[6].netProfit = Decimal(string: "1.0000000000000000001")
        var builder = TradeColumnsBuilder()
        for trade in trades.prefix(5) { builder.append(trade) }
        let first = builder.takeChunk()
        #expect(first?.count == 5)
        for trade in trades.dropFirst(5) { builder.append(trade) }
        #expect(builder.isAbandoned)
        let second = builder.takeChunk()
        #expect(second == nil)
    }
}
