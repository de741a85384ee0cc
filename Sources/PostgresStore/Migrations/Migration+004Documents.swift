extension Migration {
    /// RAG documents (text built from each backtest, searched by full text through a GIN index on a generated
    /// tsvector) and which embedding model has embedded each document completely. The vectors themselves are
    /// `vector_rows` (migration 2), one per chunk, with ids `<document id>#<chunk>@<model>`.
    static let m004Documents = Migration(version: 4, name: "documents", statements: [
        """
        CREATE TABLE documents (
            id text PRIMARY KEY,
            backtest_id uuid NOT NULL REFERENCES backtests (id) ON DELETE CASCADE,
            kind text NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            trade_ids text[] NOT NULL DEFAULT '{}',
            time_start timestamptz,
            time_end timestamptz,
            content_hash text NOT NULL,
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', title), 'A') || to_tsvector('english', body)
            ) STORED,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        "CREATE INDEX documents_backtest ON documents (backtest_id, kind)",
        "CREATE INDEX documents_search ON documents USING gin (search)",
        """
        CREATE TABLE document_embeddings (
            document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            model text NOT NULL,
            dimension integer NOT NULL,
            chunks integer NOT NULL,
            embedded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (document_id, model)
        )
        """,
        "CREATE INDEX vector_rows_model ON vector_rows (model)",
    ])
}
