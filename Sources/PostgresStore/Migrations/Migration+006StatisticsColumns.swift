extension Migration {
    /// Per backtest: its closed trades as packed columns for the statistics (written at ingest, in the
    /// backtest's transaction; stored uncompressed, since compressing tens of megabytes would slow the
    /// ingest and they are read whole), and the outcome of reconciling the computed statistics with the
    /// export's own (written with the first statistics computed, one transaction for both tables).
    static let m006StatisticsColumns = Migration(version: 6, name: "statistics_columns_and_reconciliation", statements: [
        """
        CREATE TABLE trade_columns (
            backtest_id uuid PRIMARY KEY REFERENCES backtests (id) ON DELETE CASCADE,
            version integer NOT NULL,
            trade_count integer NOT NULL,
            data bytea NOT NULL
        )
        """,
        "ALTER TABLE trade_columns ALTER COLUMN data SET STORAGE EXTERNAL",
        """
        CREATE TABLE reconciliations (
            backtest_id uuid PRIMARY KEY REFERENCES backtests (id) ON DELETE CASCADE,
            checked integer NOT NULL,
            differing integer NOT NULL,
            checked_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE reconciliation_differences (
            backtest_id uuid NOT NULL REFERENCES reconciliations (backtest_id) ON DELETE CASCADE,
            seq integer NOT NULL,
            metric text NOT NULL,
            reported double precision,
            computed double precision,
            difference double precision,
            tolerance double precision NOT NULL,
            checked_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (backtest_id, seq)
        )
        """,
    ])
}
