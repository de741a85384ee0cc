extension Migration {
    /// `trade_columns` in chunks: one row per `chunk` of a backtest's trades (65,536 by default, about 3.5 MB)
    /// instead of one value per backtest, which for 25 million trades (1.4 GB) would pass PostgreSQL's 1 GB
    /// limit on a field and would have to be held whole. A backtest stored before keeps its single row as
    /// chunk 0, read the same way.
    static let m007TradeColumnChunks = Migration(version: 7, name: "trade_column_chunks", statements: [
        "ALTER TABLE trade_columns ADD COLUMN chunk integer NOT NULL DEFAULT 0",
        "ALTER TABLE trade_columns DROP CONSTRAINT trade_columns_pkey",
        "ALTER TABLE trade_columns ADD PRIMARY KEY (backtest_id, chunk)",
        "ALTER TABLE trade_columns ALTER COLUMN chunk DROP DEFAULT",
    ])
}
