import Foundation
import PipsightCore

/// One `history.items` entry of a backtest report: a closing deal. Keys are matched by normalised
/// name (case, spaces and underscores ignored, a few aliases such as `grossProfit` for `gross`), so
/// column spellings from the `columns` form are understood too; other keys are kept in `extra`.
struct ReportHistoryItem {
    /// `positionId` when the item has one, else `id`: the key that groups partial closes.
    var positionKey: String
    /// The deal's own id when the item names it (`dealId`, or `id` beside a `positionId`).
    var dealId: String?
    var symbol: String?
    var label: String?
    var direction: TradeDirection?
    var entryTime: Date?
    var entryPrice: Decimal?
    var closeTime: Date
    var closePrice: Decimal?
    var quantity: Decimal?
    var volume: Decimal?
    var gross: Decimal?
    var net: Decimal?
    var commissions: Decimal?
    var swaps: Decimal?
    var pips: Decimal?
    var balance: Decimal?
    var extra: [String: JSONValue]
    /// JSON path of the item, for errors raised when its position is assembled.
    var path: String
    var file: String
    var line: Int?

    /// Normalised key → canonical field.
    private static let canonical: [String: String] = [
        "id": "id", "positionid": "positionId", "dealid": "dealId", "closingdealid": "dealId",
        "label": "label", "symbol": "symbol", "direction": "direction", "type": "direction",
        "tradetype": "direction", "entrytime": "entryTime", "opentime": "entryTime", "openingtime": "entryTime",
        "closetime": "closeTime", "closingtime": "closeTime", "entryprice": "entryPrice", "openprice": "entryPrice",
        "closeprice": "closePrice", "closingprice": "closePrice", "quantity": "quantity", "volume": "volume",
        "gross": "gross", "grossprofit": "gross", "net": "net", "netprofit": "net", "commissions": "commissions",
        "commission": "commissions", "swaps": "swaps", "swap": "swaps", "pips": "pips", "balance": "balance",
    ]

    /// Lowercased ASCII letters and digits only (`Entry Time`, `entry_time` → `entrytime`).
    private static func normalise(_ key: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    init(_ object: JSONObject, path: String, file: String) throws {
        var keyFor: [String: String] = [:]  // canonical → key as written
        var extra: [String: JSONValue] = [:]
        for member in object.members {
            if let field = Self.canonical[Self.normalise(member.key)] {
                keyFor[field] = member.key
            } else {
                extra[member.key] = member.value.jsonValue
            }
        }
        func key(_ field: String) -> String { keyFor[field] ?? field }
        let reader = JSONFieldReader(object, path: path, file: file)

        let id = try reader.identifier(key("id"))
        let positionId = try reader.identifier(key("positionId"))
        guard let positionKey = positionId ?? id else { throw reader.missing("id") }
        self.positionKey = positionKey
        self.dealId = try reader.identifier(key("dealId")) ?? (positionId != nil ? id : nil)
        self.symbol = try reader.string(key("symbol"))
        self.label = try reader.string(key("label"))
        self.direction = try reader.direction(key("direction"))
        self.entryTime = try reader.epochDate(key("entryTime"))
        self.entryPrice = try reader.decimal(key("entryPrice"))
        self.closeTime = try reader.requiredEpochDate(key("closeTime"))
        self.closePrice = try reader.decimal(key("closePrice"))
        self.quantity = try reader.decimal(key("quantity"))
        self.volume = try reader.decimal(key("volume"))
        self.gross = try reader.decimal(key("gross"))
        self.net = try reader.decimal(key("net"))
        self.commissions = try reader.decimal(key("commissions"))
        self.swaps = try reader.decimal(key("swaps"))
        self.pips = try reader.decimal(key("pips"))
        self.balance = try reader.decimal(key("balance"))
        self.extra = extra
        self.path = path
        self.file = file
        self.line = reader.line
        self.keyForDirection = key("direction")
        self.keyForEntryTime = key("entryTime")
        if let entryTime, closeTime < entryTime {
            throw reader.invalid(
                key("closeTime"), "closeTime \(closeTime) is before entryTime \(entryTime)"
            )
        }
    }

    /// Key spellings used in errors raised later, when the position is assembled.
    var keyForDirection: String
    var keyForEntryTime: String

    /// The item as a closing deal; `fallbackId` is used when the item names no deal id.
    func deal(fallbackId: String) -> Deal {
        Deal(
            dealId: dealId ?? fallbackId, closeTime: closeTime, closePrice: closePrice, volume: volume,
            quantity: quantity, grossProfit: gross, netProfit: net, commissions: commissions, swaps: swaps,
            pips: pips, balance: balance
        )
    }
}
