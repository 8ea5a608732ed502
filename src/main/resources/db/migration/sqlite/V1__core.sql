-- Linegate core schema, SQLite flavour. Timestamps are epoch milliseconds (UTC) in both flavours, so the SQL that
-- reads and writes them is the same on SQLite and PostgreSQL.

CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- API tokens are stored only as the SHA-256 of the token; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    token_hash TEXT    NOT NULL UNIQUE,
    label      TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- A line: an Instagram professional account or a Facebook Page. page_token_sealed is the page access token encrypted
-- with AES-GCM under the master key (never the token itself).
CREATE TABLE lines (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    class             TEXT    NOT NULL CHECK (class IN ('instagram', 'messenger')),
    active            BOOLEAN NOT NULL,
    page_id           TEXT,
    ig_account_id     TEXT,
    page_token_sealed TEXT,
    human_agent       BOOLEAN NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX lines_account ON lines (account_id);

-- The message log: one row per send request that resolved a line (its id is the client's cdls_id), and one per
-- inbound message. Outbound state: accepted -> sent | failed | unknown, then delivered, read (webhooks); inbound: received.
CREATE TABLE message_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    line_id         INTEGER NOT NULL REFERENCES lines (id),
    channel         TEXT    NOT NULL,
    direction       TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
    peer_id         TEXT    NOT NULL,
    mtype           TEXT    NOT NULL,
    mdata           TEXT    NOT NULL,
    msg_id          TEXT,
    tag             TEXT,
    meta_message_id TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('accepted', 'sent', 'failed', 'unknown', 'delivered', 'read', 'received')),
    error_code      INTEGER,
    error_status    TEXT,
    error_detail    TEXT,
    meta_code       INTEGER,
    meta_subcode    INTEGER,
    meta_type       TEXT,
    meta_message    TEXT,
    meta_fbtrace_id TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    delivered_at    INTEGER,
    read_at         INTEGER
);
CREATE INDEX message_log_account ON message_log (account_id, id);
CREATE INDEX message_log_accepted ON message_log (state, created_at);
