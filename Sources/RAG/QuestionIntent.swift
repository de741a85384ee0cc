/// A numeric question the analytics can answer exactly. Each intent becomes one or more `Fact`s.
public enum QuestionIntent: String, Codable, Sendable, Hashable, CaseIterable {
    case tradeCount = "trade_count"
    case netProfit = "net_profit"
    case commissions
    case swaps
    case winRate = "win_rate"
    case averageTrade = "average_trade"
    case averageWin = "average_win"
    case averageLoss = "average_loss"
    case profitFactor = "profit_factor"
    case largestWin = "largest_win"
    case largestLoss = "largest_loss"
    case longestWinningStreak = "longest_winning_streak"
    case longestLosingStreak = "longest_losing_streak"
    case maxDrawdown = "max_drawdown"
    case bestWeekday = "best_weekday"
    case worstWeekday = "worst_weekday"
    case bestHour = "best_hour"
    case worstHour = "worst_hour"
    case bestMonth = "best_month"
    case worstMonth = "worst_month"
    case bestSymbol = "best_symbol"
    case worstSymbol = "worst_symbol"
    /// The result of a weekday the question names ("why do Fridays lose?").
    case namedWeekday = "named_weekday"
    /// The result of a month the question names ("why did March lose money?").
    case namedMonth = "named_month"
    /// The result of an hour the question names ("trades opened at 22:00").
    case namedHour = "named_hour"
    /// How a parameter's value relates to net profit across optimisation passes.
    case parameterEffect = "parameter_effect"
    /// The optimisation pass with the highest net profit.
    case bestPass = "best_pass"
}
