-- DataPlatform cluster profile: API keys (PostgresApiKeyStore; docs/security.md). Secrets are never stored,
-- only the SHA-256 of each key's secret. A revoked key keeps its row, so the audit can still name it.

CREATE TABLE IF NOT EXISTS api_key
(
    id text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL,

    CONSTRAINT pk_api_key PRIMARY KEY (id),
    CONSTRAINT ck_api_key_role CHECK (role IN ('viewer', 'analyst', 'admin'))
);
