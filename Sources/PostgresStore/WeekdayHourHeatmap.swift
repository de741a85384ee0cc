import Foundation

/// Net profit of a backtest's trades by open weekday and open hour (`GET /v1/backtests/{id}/heatmap`): the
/// grid behind the web page's heat map. Only cells with trades are listed.
public struct WeekdayHourHeatmap: Sendable, Hashable, Codable {
    /// One weekday × hour cell.
    public struct Cell: Sendable, Hashable, Codable {
        /// ISO weekday of the open time: 1 = Monday … 7 = Sunday.
        public var weekday: Int
        /// Hour of the open time, 0…23.
        public var hour: Int
        public var tradeCount: Int
        public var netProfit: Decimal

        public init(weekday: Int, hour: Int, tradeCount: Int, netProfit: Decimal) {
            self.weekday = weekday
            self.hour = hour
            self.tradeCount = tradeCount
            self.netProfit = netProfit
        }
    }

    public var backtestId: UUID
    /// The IANA time zone the weekday and hour are read in.
    public var timeZone: String
    /// Cells with at least one trade, by weekday then hour.
    public var cells: [Cell]

    public init(backtestId: UUID, timeZone: String, cells: [Cell]) {
        self.backtestId = backtestId
        self.timeZone = timeZone
        self.cells = cells
    }
}
