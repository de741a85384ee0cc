extension Migration {
    /// Vector rows (the source of truth of the in-memory index) and a version that every change bumps, so a
    /// local snapshot file saved at another version is known to be stale.
    static let m002VectorRows = Migration(version: 2, name: "vector_rows", statements: [
        """
        CREATE TABLE vector_rows (
            id text PRIMARY KEY,
            backtest_id uuid REFERENCES backtests (id) ON DELETE CASCADE,
            kind text NOT NULL,
            time_start timestamptz,
            time_end timestamptz,
            dimension integer NOT NULL CHECK (dimension > 0),
            embedding bytea NOT NULL CHECK (length(embedding) = 4 * dimension),
            model text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX vector_rows_backtest ON vector_rows (backtest_id)",
        "CREATE TABLE vector_state (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version bigint NOT NULL)",
        "INSERT INTO vector_state (version) VALUES (1)",
        """
        CREATE FUNCTION bump_vector_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE vector_state SET version = version + 1;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER vector_rows_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vector_rows
        FOR EACH STATEMENT EXECUTE FUNCTION bump_vector_version()
        """,
    ])
}
