import Foundation
import PipsightCore
import Testing

@testable import CTraderImport

/// Epoch seconds versus milliseconds, plausibility (2000–2099), close before open, and wall-clock times in
/// named header time zones across daylight-saving changes.
@Suite("Time edge cases")
struct TimeEdgeCaseTests {
    private typealias Support = CTraderJSONTestSupport
    private typealias F = ImportFixtures

    private static func events(open: String, close: String) -> String {
        """
        [
          {"serial": 0, "positionId": 1, "event": "Create Position", "time": \(open), "type": "Buy", "volume": 1, "equity": 100},
          {"serial": 1, "positionId": 1, "event": "Position closed", "time": \(close), "volume": 1, "balance": 101}
        ]
        """
    }

    private static func csv(header: String = "Opening Time", _ open: String, _ close: String) -> String {
        "ID,Opening Direction,\(header),Closing Time,Net USD\n1,Buy,\(open),\(close),1.00\n"
    }

    @Test("epoch seconds and milliseconds give the same instant")
    func secondsAndMilliseconds() throws {
        // 2025-11-10T08:00:00Z = 1 762 761 600 s (20 402 days × 86 400 + 8 h, computed by hand).
        let milliseconds = try Support.parseAll(EventsJSONParser(), Self.events(open: "1762761600000", close: "1762765200000"), name: "e.json")
        let seconds = try Support.parseAll(EventsJSONParser(), Self.events(open: "1762761600", close: "1762765200"), name: "e.json")
        let expected = F.utc(2025, 11, 10, 8, 0, 0)
        #expect(milliseconds.trades.first?.openTime == expected)
        #expect(seconds.trades.first?.openTime == expected)
        #expect(seconds.trades.first?.closeTime == F.utc(2025, 11, 10, 9, 0, 0))
    }

    @Test("times outside 2000–2099 are rejected with their path", arguments: [
        "0", "946684799999", "4102444800000", "-1762761600000", "99999999999999999", "1e20", "NaN",
    ])
    func implausibleEpoch(time: String) throws {
        let error = try #require(Support.error(EventsJSONParser(), Self.events(open: time, close: "1762765200000"), name: "e.json"))
        #expect(error.code == .invalidValue || error.code == .wrongType, "\(time)")
        #expect(error.location?.path == "[0].time", "\(time)")
        #expect(error.location?.line == 2, "\(time)")
    }

    @Test("the bounds themselves: 2000-01-01 accepted, 2100-01-01 refused")
    func bounds() throws {
        let first = try Support.parseAll(EventsJSONParser(), Self.events(open: "946684800000", close: "946684800001"), name: "e.json")
        #expect(first.trades.first?.openTime == F.utc(2000, 1, 1, 0, 0, 0))
        #expect(Support.error(EventsJSONParser(), Self.events(open: "946684800000", close: "4102444800000"), name: "e.json") != nil)
    }

    @Test("close before open is rejected with its location")
    func closeBeforeOpen() throws {
        let events = try #require(
            Support.error(EventsJSONParser(), Self.events(open: "1762765200000", close: "1762761600000"), name: "e.json"))
        #expect(events.code == .invalidValue)
        #expect(events.location?.path == "[1].time")
        #expect(events.location?.line == 3)

        let csv = try #require(
            Support.error(HistoryCSVParser(), Self.csv("02/01/2024 10:00:00", "02/01/2024 09:59:59"), name: "h.csv"))
        #expect(csv.code == .invalidValue)
        #expect(csv.location?.line == 2)
        #expect(csv.location?.field == "Closing Time")
    }

    @Test("CSV dates outside 2000–2099 are rejected with line and column")
    func implausibleCSV() throws {
        for (open, close) in [("02/01/1970 09:00:00", "02/01/2024 10:00:00"), ("02/01/2024 09:00:00", "02/01/2150 10:00:00")] {
            let error = try #require(Support.error(HistoryCSVParser(), Self.csv(open, close), name: "h.csv"))
            #expect(error.code == .invalidValue)
            #expect(error.location?.line == 2)
            #expect(error.message.contains("2000"))
        }
    }

    @Test("a named header zone applies daylight saving: winter +1 h, summer +2 h")
    func namedZone() throws {
        let header = "Opening Time (Europe/Berlin),Closing Time (Europe/Berlin)"
        let text = "ID,Opening Direction,\(header),Net EUR\n"
            + "1,Buy,15/01/2024 12:00:00,15/07/2024 12:00:00,1.00\n"
        let export = try HistoryCSVParser().parseAll(ImportInput(name: "h.csv", data: Data(text.utf8)))
        let trade = try #require(export.trades.first)
        #expect(trade.openTime == F.utc(2024, 1, 15, 11, 0, 0))  // CET = UTC+1
        #expect(trade.closeTime == F.utc(2024, 7, 15, 10, 0, 0))  // CEST = UTC+2
    }

    @Test("a wall-clock time in the spring-forward gap is rejected; the repeated autumn hour is its first occurrence")
    func daylightSavingGap() throws {
        let header = "Opening Time (Europe/Berlin),Closing Time (Europe/Berlin)"
        // 31 March 2024: Berlin's clocks jump from 02:00 to 03:00, so 02:30 never happens there.
        let gap = "ID,Opening Direction,\(header),Net EUR\n1,Buy,31/03/2024 01:30:00,31/03/2024 02:30:00,1.00\n"
        let error = try #require(Support.error(HistoryCSVParser(), gap, name: "h.csv"))
        #expect(error.code == .invalidValue)
        #expect(error.location?.line == 2)
        #expect(error.location?.field == "Closing Time (Europe/Berlin)")
        #expect(error.message.contains("Europe/Berlin"))

        // 27 October 2024: 02:30 happens twice (CEST, then CET); the first is 00:30 UTC.
        let overlap = "ID,Opening Direction,\(header),Net EUR\n1,Buy,27/10/2024 02:30:00,27/10/2024 04:00:00,1.00\n"
        let export = try HistoryCSVParser().parseAll(ImportInput(name: "h.csv", data: Data(overlap.utf8)))
        #expect(export.trades.first?.openTime == F.utc(2024, 10, 27, 0, 30, 0))
        #expect(export.trades.first?.closeTime == F.utc(2024, 10, 27, 3, 0, 0))
    }

    @Test("an explicit offset in the cell wins over the header zone")
    func explicitOffsetWins() throws {
        let text = "ID,Opening Direction,Opening Time (Europe/Berlin),Closing Time (Europe/Berlin),Net EUR\n"
            + "1,Buy,2024-03-31T02:30:00Z,2024-03-31T03:30:00Z,1.00\n"
        let export = try HistoryCSVParser().parseAll(ImportInput(name: "h.csv", data: Data(text.utf8)))
        #expect(export.trades.first?.openTime == F.utc(2024, 3, 31, 2, 30, 0))
    }
}
