extension Migration {
    /// API keys for `/v1`: the public id (part of the key), a name, scopes, and the SHA-256 of a per-key salt
    /// followed by the secret. The secret itself is never stored.
    static let m005APIKeys = Migration(version: 5, name: "api_keys", statements: [
        """
        CREATE TABLE api_keys (
            id text PRIMARY KEY,
            name text NOT NULL,
            scopes text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write']::text[] AND cardinality(scopes) > 0),
            salt bytea NOT NULL,
            secret_hash bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            last_used_at timestamptz,
            revoked_at timestamptz
        )
        """,
    ])
}
