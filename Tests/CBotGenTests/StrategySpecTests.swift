import Foundation
import PipsightCore
import Testing
@testable import CBotGen

@Suite("Strategy spec")
struct StrategySpecTests {
    @Test("JSON round-trips every rule and carries the version")
    func roundTrip() throws {
        let spec = SpecFixtures.complete(template: .rsi)
        let data = try spec.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(try StrategySpec.decode(from: data) == spec)
    }

    @Test("a hand edit is read back: a weekday removed, an hour added")
    func handEdit() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: SpecFixtures.complete(template: .sma).jsonData()) as? [String: Any])
        object["blockedWeekdays"] = []
        object["blockedHours"] = [["hour": 3, "evidence": ["summary": "my own idea", "trades": 0]]]
        let spec = try StrategySpec.decode(from: try JSONSerialization.data(withJSONObject: object))
        #expect(spec.blockedWeekdays.isEmpty)
        #expect(spec.blockedHours.map(\.hour) == [3])
    }

    @Test("another version is refused")
    func versionRefused() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: SpecFixtures.complete(template: .sma).jsonData()) as? [String: Any])
        object["version"] = 2
        let data = try JSONSerialization.data(withJSONObject: object)
        let error = try #require(throws: PipsightError.self) { try StrategySpec.decode(from: data, file: "spec.json") }
        #expect(error.code == .invalidSpec)
        #expect(error.location?.path == "version")
        #expect(error.location?.file == "spec.json")
    }

    @Test("impossible rules are refused with their path", arguments: [
        ("blockedHours", "[{\"hour\": 24, \"evidence\": {\"summary\": \"\", \"trades\": 0}}]", "blockedHours[0].hour"),
        ("stopLoss", "{\"pips\": -5, \"minimum\": 1, \"maximum\": 9, \"step\": 1, \"evidence\": {\"summary\": \"\", \"trades\": 0}}", "stopLoss"),
        ("timeZone", "\"Europe/Berlin\"", "timeZone"),
        ("blockedWeekdays", "[{\"weekday\": \"funday\", \"evidence\": {\"summary\": \"\", \"trades\": 0}}]", "blockedWeekdays[0].weekday"),
    ])
    func invalidRules(key: String, json: String, path: String) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: SpecFixtures.complete(template: .sma).jsonData()) as? [String: Any])
        object[key] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let data = try JSONSerialization.data(withJSONObject: object)
        let error = try #require(throws: PipsightError.self) { try StrategySpec.decode(from: data) }
        #expect(error.code == .invalidSpec)
        #expect(error.location?.path == path)
    }
}
