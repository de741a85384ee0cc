import Foundation
import PipsightCore

/// Helpers shared by the CTraderImport tests.
enum ImportFixtures {
    /// A UTC date from its parts, computed by `Calendar` (independently of the parsers under test).
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, ms: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        let whole = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return Date(timeIntervalSince1970: whole.timeIntervalSince1970 + Double(ms) / 1000)
    }

    /// `Decimal` from literal text (tests only; the text is a constant).
    static func dec(_ text: String) -> Decimal {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
    }

    /// The real events.json beside the repository (`../shared/samples/ctrader/events.json`), if present.
    static var realEventsJSON: URL? {
        let relative = "shared/samples/ctrader/events.json"
        var candidates: [URL] = []
        for start in [URL(fileURLWithPath: #filePath), URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()] {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(directory.appendingPathComponent(relative))
                candidates.append(directory.deletingLastPathComponent().appendingPathComponent(relative))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: "/work/\(relative)"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Deterministic pseudo-random bytes (SplitMix64), for garbage inputs.
    static func garbage(count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count {
                bytes.append(UInt8(truncatingIfNeeded: z >> UInt64(shift)))
            }
        }
        return Data(bytes)
    }

    /// Text as UTF-16 LE bytes, optionally with a BOM.
    static func utf16LE(_ text: String, bom: Bool = true) -> Data {
        var bytes: [UInt8] = bom ? [0xFF, 0xFE] : []
        for unit in text.utf16 {
            bytes.append(UInt8(truncatingIfNeeded: unit))
            bytes.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return Data(bytes)
    }

    /// Text as UTF-16 BE bytes, optionally with a BOM.
    static func utf16BE(_ text: String, bom: Bool = true) -> Data {
        var bytes: [UInt8] = bom ? [0xFE, 0xFF] : []
        for unit in text.utf16 {
            bytes.append(UInt8(truncatingIfNeeded: unit >> 8))
            bytes.append(UInt8(truncatingIfNeeded: unit))
        }
        return Data(bytes)
    }
}
