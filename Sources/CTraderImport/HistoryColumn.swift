import Foundation

/// The History CSV columns Pipsight understands, matched by normalised header name, never by position.
enum HistoryColumn: String, Sendable, Hashable, CaseIterable {
    case id, orderId, symbol, openingDirection, closingDirection, openingTime, closingTime
    case entryPrice, closingPrice, closingQuantity, closingVolume, closingQuoteVolume
    case swap, commission, gross, net, balance, pips, label, comment

    /// Position in `allCases`, for array lookups on the hot path (no hashing per row).
    var ordinal: Int {
        switch self {
        case .id: return 0
        case .orderId: return 1
        case .symbol: return 2
        case .openingDirection: return 3
        case .closingDirection: return 4
        case .openingTime: return 5
        case .closingTime: return 6
        case .entryPrice: return 7
        case .closingPrice: return 8
        case .closingQuantity: return 9
        case .closingVolume: return 10
        case .closingQuoteVolume: return 11
        case .swap: return 12
        case .commission: return 13
        case .gross: return 14
        case .net: return 15
        case .balance: return 16
        case .pips: return 17
        case .label: return 18
        case .comment: return 19
        }
    }

    /// True for the money columns whose header may carry the account currency.
    var isMoney: Bool {
        switch self {
        case .swap, .commission, .gross, .net, .balance: return true
        default: return false
        }
    }

    /// True for the columns read as numbers.
    var isNumeric: Bool {
        switch self {
        case .entryPrice, .closingPrice, .closingQuantity, .closingVolume, .closingQuoteVolume,
            .swap, .commission, .gross, .net, .balance, .pips:
            return true
        default: return false
        }
    }

    /// The column for a normalised name (lowercase letters and digits only, suffixes removed).
    init?(normalised name: String) {
        switch name {
        case "id", "positionid", "position", "positionno": self = .id
        case "orderid", "order", "dealid": self = .orderId
        case "symbol", "symbolname", "instrument": self = .symbol
        case "openingdirection", "direction", "opendirection", "side", "tradeside": self = .openingDirection
        case "closingdirection", "closedirection": self = .closingDirection
        case "openingtime", "opentime", "entrytime", "openingdate": self = .openingTime
        case "closingtime", "closetime", "exittime", "closingdate": self = .closingTime
        case "entryprice", "openingprice", "openprice": self = .entryPrice
        case "closingprice", "closeprice", "exitprice": self = .closingPrice
        case "closingquantity", "quantity", "closingquantitylots", "lots": self = .closingQuantity
        case "closingvolume", "volume", "closingvolumeunits": self = .closingVolume
        case "swap", "swaps": self = .swap
        case "commission", "commissions": self = .commission
        case "gross", "grosspl", "grossprofit", "grosspnl", "grossprofitloss": self = .gross
        case "net", "netpl", "netprofit", "netpnl", "netprofitloss": self = .net
        case "balance": self = .balance
        case "pips": self = .pips
        case "label": self = .label
        case "comment", "comments": self = .comment
        default:
            // `Closing USD Volume`, `Closing EUR Volume`: the volume in a currency, kept in `extra`.
            if name.hasPrefix("closing"), name.hasSuffix("volume"), name.count == "closingvolume".count + 3 {
                self = .closingQuoteVolume
            } else {
                return nil
            }
        }
    }
}

/// One header cell, taken apart: `Opening Time (UTC+4)` → column `.openingTime`, offset +4 h;
/// `Net P/L €` → `.net`, currency `EUR`.
struct HistoryHeaderField: Sendable, Hashable {
    /// The header text as written (trimmed), used in error messages and as the `extra` key.
    var text: String
    /// Lowercase letters and digits, time-zone and currency suffixes removed.
    var normalised: String
    var column: HistoryColumn?
    /// From a `(UTC+4)` style suffix.
    var utcOffsetSeconds: Int?
    /// From a `(Europe/Berlin)` style suffix: times are wall-clock times of that zone, daylight saving included.
    var timeZone: TimeZone?
    /// ISO code from a currency suffix (`USD`, `(EUR)`, `€`).
    var currency: String?

    private static let currencySymbols: [Character: String] = [
        "€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "₩": "KRW", "₺": "TRY", "₪": "ILS",
    ]

    init(_ raw: String) {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        self.text = text
        var offset: Int?
        var zone: TimeZone?
        var currency: String?

        // Parenthesised suffixes: `(UTC+4)`, `(EUR)`, `($)`, in any order.
        while text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
                .trimmingCharacters(in: .whitespaces)
            if let seconds = Self.timeZoneOffset(inner) {
                offset = seconds
            } else if let named = WallClockZone.zone(named: inner) {
                zone = named
            } else if let code = Self.currencyCode(inner) {
                currency = code
            } else {
                break
            }
            text = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        }
        // Unparenthesised suffixes: `Opening Time UTC+4`, `Net P/L €`, `Net USD`.
        var changed = true
        while changed, !text.isEmpty {
            changed = false
            if let space = text.lastIndex(where: { $0 == " " || $0 == "\u{00A0}" }) {
                let token = String(text[text.index(after: space)...])
                let rest = String(text[..<space]).trimmingCharacters(in: .whitespaces)
                if offset == nil, let seconds = Self.timeZoneOffset(token) {
                    offset = seconds
                    text = rest
                    changed = true
                    continue
                }
                if currency == nil, let code = Self.currencyCode(token),
                    token.count == 1 || HistoryColumn(normalised: Self.squash(rest))?.isMoney == true
                {
                    currency = code
                    text = rest
                    changed = true
                    continue
                }
            }
            if currency == nil, let last = text.last, let code = Self.currencySymbols[last] {
                currency = code
                text = String(text.dropLast()).trimmingCharacters(in: .whitespaces)
                changed = true
            }
        }
        normalised = Self.squash(text)
        column = HistoryColumn(normalised: normalised)
        utcOffsetSeconds = offset
        self.currency = column?.isMoney == true ? currency : nil
        if column == .openingTime || column == .closingTime {
            utcOffsetSeconds = offset
            timeZone = offset == nil ? zone : nil
        } else {
            utcOffsetSeconds = nil
        }
    }

    /// Lowercase letters and digits only.
    static func squash(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.lowercased().unicodeScalars where CharacterSet.alphanumerics.contains(scalar) {
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// `UTC`, `GMT`, `UTC+4`, `UTC-03:30`, `UTC+0530`, `GMT+2` → seconds east of UTC.
    static func timeZoneOffset(_ token: String) -> Int? {
        let upper = token.uppercased().replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{2212}", with: "-")
        guard upper.hasPrefix("UTC") || upper.hasPrefix("GMT") else { return nil }
        let rest = upper.dropFirst(3)
        if rest.isEmpty { return 0 }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        let body = rest.dropFirst()
        var hours: Int
        var minutes = 0
        if let colon = body.firstIndex(of: ":") {
            guard let h = Int(body[..<colon]), let m = Int(body[body.index(after: colon)...]) else { return nil }
            hours = h
            minutes = m
        } else if body.count == 4, let value = Int(body) {
            hours = value / 100
            minutes = value % 100
        } else if let h = Int(body), body.count <= 2 {
            hours = h
        } else {
            return nil
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// `USD`, `eur` (three letters), `USDT` (four upper-case letters) or a currency symbol → ISO code.
    static func currencyCode(_ token: String) -> String? {
        if token.count == 1, let character = token.first { return currencySymbols[character] }
        guard token.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        if token.count == 3 {
            let code = token.uppercased()
            return ["PNL", "SUM", "AVG", "TOT", "NET", "ALL"].contains(code) ? nil : code
        }
        guard token.count == 4, token.allSatisfy(\.isUppercase) else { return nil }
        return token
    }
}
