/// Small hand-written exports shared by the test suites.
public enum TestFixtures {
    /// A small events.json with two positions, one closed by T/P with a modified S/L, one by hand.
    public static let smallEvents = """
        [
          {"serial": 0, "orderId": null, "positionId": 1, "event": "Create Position", "time": 1700000000000,
           "volume": 1000, "quantity": 0.01, "type": "Buy", "entryPrice": 1.1, "tp": 1.2, "sl": 1.0,
           "closePrice": null, "grossProfit": 0, "pips": 0, "balance": null, "equity": 1000},
          {"serial": 1, "orderId": null, "positionId": 1, "event": "Position Modified (S/L)", "time": 1700000060000,
           "volume": 1000, "quantity": 0.01, "type": "Buy", "entryPrice": 1.1, "tp": 1.2, "sl": 1.05,
           "closePrice": null, "grossProfit": 0, "pips": 0, "balance": null, "equity": 1001},
          {"serial": 2, "orderId": null, "positionId": 1, "event": "Take Profit Hit", "time": 1700000120000,
           "volume": 1000, "quantity": 0.01, "type": "Buy", "entryPrice": 1.1, "tp": 1.2, "sl": 1.05,
           "closePrice": 1.2, "grossProfit": 100, "pips": 1000, "balance": 1100, "equity": 1100},
          {"serial": 3, "orderId": null, "positionId": 2, "event": "Create Position", "time": 1700000180000,
           "volume": 2000, "quantity": 0.02, "type": "Sell", "entryPrice": 1.2, "tp": null, "sl": null,
           "closePrice": null, "grossProfit": 0, "pips": 0, "balance": null, "equity": 1100},
          {"serial": 4, "orderId": null, "positionId": 2, "event": "Position closed", "time": 1700000240000,
           "volume": 2000, "quantity": 0.02, "type": "Sell", "entryPrice": 1.2, "tp": null, "sl": null,
           "closePrice": 1.25, "grossProfit": -100, "pips": -500, "balance": 1000, "equity": 1000}
        ]
        """
}
