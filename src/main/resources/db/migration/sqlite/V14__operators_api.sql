-- The operators' HTTP API (contract §12): admin tokens, console sessions, when each API token was last used, and the
-- indexes behind the API's message and event lists.

-- Admin tokens authenticate /admin/v1 and the console's sign-in. Like API tokens, only the SHA-256 of the token is
-- kept; the token itself ('lga_…') is printed once, by `linegate admin-token create`. A separate table from
-- api_tokens, so an admin token can never be taken for an account's tsid, nor a tsid for an admin token.
CREATE TABLE admin_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT   NOT NULL UNIQUE,
    label        TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- A console session: the SHA-256 of the cookie's random value (the value itself lives only in the browser), the admin
-- token it was opened with (revoking the token ends its sessions), and its last use (an idle session expires). Kept in
-- the database so that every node accepts it.
CREATE TABLE admin_sessions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_hash   TEXT   NOT NULL UNIQUE,
    admin_token_id INTEGER NOT NULL REFERENCES admin_tokens (id),
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL
);
CREATE INDEX admin_sessions_token ON admin_sessions (admin_token_id);

-- When an API token was last used (to within a minute: nodes record uses in memory and write them once a minute). A
-- table of its own, because every change to api_tokens moves lookup_generation (V4), which would drop every node's
-- cached look-ups once a minute.
CREATE TABLE api_token_uses (
    token_id     INTEGER PRIMARY KEY REFERENCES api_tokens (id),
    last_used_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens (account_id, id);

-- The admin API's message list is newest first (id DESC) under any one filter; each index below lets that filter walk
-- its rows in id order and stop at the page's size, instead of reading and sorting every match.
-- (account: message_log_account, V1; account and msg_id: message_log_msg_id, V2.)
CREATE INDEX message_log_line_id ON message_log (line_id, id);
CREATE INDEX message_log_dest_id ON message_log (peer_id, id);
CREATE INDEX message_log_msg_id_only ON message_log (msg_id, id);
CREATE INDEX message_log_state_id ON message_log (state, id);

-- The admin API's event list, newest first, by account and by delivery state (dead events).
CREATE INDEX events_account_id ON events (account_id, id);
CREATE INDEX events_delivery_id ON events (delivery, id);
