extension Migration {
    /// Backtests and everything parsed from their exports, and the ingest runs that brought them in.
    static let m001Initial = Migration(version: 1, name: "initial", statements: [
        """
        CREATE TABLE ingest_runs (
            id uuid PRIMARY KEY,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'partial')),
            files_total integer NOT NULL DEFAULT 0,
            files_ingested integer NOT NULL DEFAULT 0,
            files_skipped integer NOT NULL DEFAULT 0,
            files_failed integer NOT NULL DEFAULT 0,
            rows_total bigint NOT NULL DEFAULT 0,
            errors jsonb NOT NULL DEFAULT '[]',
            timings jsonb NOT NULL DEFAULT '{}'
        )
        """,
        """
        CREATE TABLE backtests (
            id uuid PRIMARY KEY,
            source_sha256 text NOT NULL UNIQUE,
            source_name text NOT NULL,
            source_size bigint NOT NULL,
            format text NOT NULL,
            symbol text,
            period text,
            cbot_name text,
            broker text,
            deposit_asset text,
            account_type text,
            leverage numeric,
            starting_capital numeric,
            ending_balance numeric,
            ending_equity numeric,
            net_profit numeric,
            testing_start timestamptz,
            testing_end timestamptz,
            utc_offset_seconds integer,
            reported_statistics jsonb,
            extra jsonb NOT NULL DEFAULT '{}',
            trade_count integer NOT NULL DEFAULT 0,
            event_count integer NOT NULL DEFAULT 0,
            parameter_count integer NOT NULL DEFAULT 0,
            pass_count integer NOT NULL DEFAULT 0,
            ingest_run_id uuid REFERENCES ingest_runs (id) ON DELETE SET NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX backtests_created_at ON backtests (created_at)",
        """
        CREATE TABLE trades (
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            position_id text NOT NULL,
            symbol text,
            label text,
            direction text NOT NULL CHECK (direction IN ('buy', 'sell')),
            open_time timestamptz NOT NULL,
            close_time timestamptz NOT NULL,
            entry_price numeric,
            close_price numeric,
            volume numeric,
            quantity numeric,
            gross_profit numeric,
            net_profit numeric,
            commissions numeric,
            swaps numeric,
            pips numeric,
            balance numeric,
            initial_stop_loss numeric,
            initial_take_profit numeric,
            final_stop_loss numeric,
            final_take_profit numeric,
            close_reason text NOT NULL,
            deal_count integer NOT NULL DEFAULT 1,
            extra jsonb NOT NULL DEFAULT '{}',
            PRIMARY KEY (backtest_id, seq)
        )
        """,
        "CREATE INDEX trades_backtest_close_time ON trades (backtest_id, close_time)",
        """
        CREATE TABLE deals (
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            trade_seq integer NOT NULL,
            seq integer NOT NULL,
            deal_id text NOT NULL,
            close_time timestamptz NOT NULL,
            close_price numeric,
            volume numeric,
            quantity numeric,
            gross_profit numeric,
            net_profit numeric,
            commissions numeric,
            swaps numeric,
            pips numeric,
            balance numeric,
            PRIMARY KEY (backtest_id, trade_seq, seq)
        )
        """,
        """
        CREATE TABLE events (
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            serial bigint NOT NULL,
            position_id text,
            order_id text,
            name text NOT NULL,
            time timestamptz NOT NULL,
            volume numeric,
            quantity numeric,
            direction text,
            entry_price numeric,
            take_profit numeric,
            stop_loss numeric,
            close_price numeric,
            gross_profit numeric,
            pips numeric,
            balance numeric,
            equity numeric,
            extra jsonb NOT NULL DEFAULT '{}',
            PRIMARY KEY (backtest_id, seq)
        )
        """,
        "CREATE INDEX events_backtest_position ON events (backtest_id, position_id)",
        """
        CREATE TABLE parameters (
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            name text NOT NULL,
            value text,
            optimize boolean,
            min text,
            max text,
            step text,
            value_list jsonb,
            friendly_name text,
            group_name text,
            extra jsonb NOT NULL DEFAULT '{}',
            PRIMARY KEY (backtest_id, seq)
        )
        """,
        """
        CREATE TABLE optimisation_passes (
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            pass_id bigint NOT NULL,
            status text,
            equity numeric,
            net_profit numeric,
            trades bigint,
            winning_trades bigint,
            profit_factor double precision,
            average_trade numeric,
            max_equity_drawdown_absolute numeric,
            max_equity_drawdown_fraction double precision,
            parameters jsonb NOT NULL DEFAULT '{}',
            raw jsonb NOT NULL,
            PRIMARY KEY (backtest_id, seq)
        )
        """,
    ])
}
