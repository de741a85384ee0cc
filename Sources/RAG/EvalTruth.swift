import Foundation

/// What the evaluation set is generated from: the sample generator's ground truth (copied field by field by the
/// caller, since this module does not depend on the test support) and the optimisation passes as written.
public struct EvalTruth: Sendable {
    public var tradeCount: Int
    public var winningTrades: Int
    public var netProfit: Decimal
    public var largestWin: Decimal
    public var largestWinPositionId: String?
    public var largestLoss: Decimal
    public var largestLossPositionId: String?
    public var maxConsecutiveWins: Int
    public var maxConsecutiveLosses: Int
    public var maxBalanceDrawdown: Decimal
    public var maxBalanceDrawdownPeakTime: Date?
    public var maxBalanceDrawdownTroughTime: Date?
    /// Weekday name → net.
    public var netByWeekday: [String: Decimal]
    /// `"22"` → net.
    public var netByOpenHour: [String: Decimal]
    /// `"2024-03"` (close month) → net.
    public var netByMonth: [String: Decimal]
    /// Trades to ask "why" about: position id and open day `2024-03-05` (UTC).
    public var tradesToExplain: [(positionId: String, openDay: String)]
    /// The passes of the `.optres`.
    public var passes: [EvalPass]

    public init(
        tradeCount: Int, winningTrades: Int, netProfit: Decimal, largestWin: Decimal, largestWinPositionId: String?,
        largestLoss: Decimal, largestLossPositionId: String?, maxConsecutiveWins: Int, maxConsecutiveLosses: Int,
        maxBalanceDrawdown: Decimal, maxBalanceDrawdownPeakTime: Date?, maxBalanceDrawdownTroughTime: Date?,
        netByWeekday: [String: Decimal], netByOpenHour: [String: Decimal], netByMonth: [String: Decimal],
        tradesToExplain: [(positionId: String, openDay: String)], passes: [EvalPass]
    ) {
        self.tradeCount = tradeCount
        self.winningTrades = winningTrades
        self.netProfit = netProfit
        self.largestWin = largestWin
        self.largestWinPositionId = largestWinPositionId
        self.largestLoss = largestLoss
        self.largestLossPositionId = largestLossPositionId
        self.maxConsecutiveWins = maxConsecutiveWins
        self.maxConsecutiveLosses = maxConsecutiveLosses
        self.maxBalanceDrawdown = maxBalanceDrawdown
        self.maxBalanceDrawdownPeakTime = maxBalanceDrawdownPeakTime
        self.maxBalanceDrawdownTroughTime = maxBalanceDrawdownTroughTime
        self.netByWeekday = netByWeekday
        self.netByOpenHour = netByOpenHour
        self.netByMonth = netByMonth
        self.tradesToExplain = tradesToExplain
        self.passes = passes
    }
}

/// One optimisation pass as written in the `.optres`.
public struct EvalPass: Sendable, Hashable {
    public var passId: Int
    public var netProfit: Decimal
    public var parameters: [String: String]

    public init(passId: Int, netProfit: Decimal, parameters: [String: String]) {
        self.passId = passId
        self.netProfit = netProfit
        self.parameters = parameters
    }

    /// The passes of an `.optres`, read with `JSONSerialization` (not with Pipsight's parser, so that the
    /// evaluation does not grade the parser with itself). Money is rounded to cents.
    public static func passes(fromOptres data: Data) -> [EvalPass] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let results = root["results"] as? [String: Any], let passes = results["passes"] as? [[String: Any]]
        else { return [] }
        return passes.compactMap { pass in
            guard let id = (pass["passId"] as? NSNumber)?.intValue, let net = pass["netProfit"] as? NSNumber else {
                return nil
            }
            var raw = net.decimalValue
            var rounded = Decimal()
            NSDecimalRound(&rounded, &raw, 2, .plain)
            let parameters = (pass["parameters"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            return EvalPass(passId: id, netProfit: rounded, parameters: parameters)
        }
    }
}
