-- Events to the CRM (docs/api.md, "Events"): a transactional outbox. Each change to message_log writes its event row
-- in the same transaction; callbacks deliver the rows, and the feed reads them.

-- event_seq: the account's last assigned seq. A writer takes the next one with UPDATE ... RETURNING in the change's
-- transaction, so the account row stays locked until it commits: on PostgreSQL a higher seq of an account can never
-- become visible before a lower one, and a feed reader at after=N never misses a lower seq committing later.
ALTER TABLE accounts ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
-- The callback URL (NULL: no callbacks) and its signing secrets, sealed with the master key, never stored plain; the
-- previous secret still signs until callback_secret_previous_until (epoch millis).
ALTER TABLE accounts ADD COLUMN callback_url TEXT;
ALTER TABLE accounts ADD COLUMN callback_secret TEXT;
ALTER TABLE accounts ADD COLUMN callback_secret_previous TEXT;
ALTER TABLE accounts ADD COLUMN callback_secret_previous_until INTEGER;

-- One row per event. event_id ('evt_' and 26 characters, time-ordered) is what clients deduplicate by; seq orders an
-- account's events. (line_id, peer_id) is the conversation, the callbacks' ordering key; cdls_id the message_log row
-- of message.* events; state the state a message.status event reports. delivery: 'none' (the account had no callback
-- URL when the event was written: never delivered), 'pending', 'delivered', 'dead'.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT    NOT NULL UNIQUE,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    seq             INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    line_id         INTEGER,
    peer_id         TEXT,
    cdls_id         INTEGER,
    state           TEXT,
    occurred_at     INTEGER NOT NULL,
    delivery        TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_node      INTEGER,
    lease_until     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (account_id, seq)
);
CREATE INDEX events_due ON events (delivery, next_attempt_at);
CREATE INDEX events_conversation ON events (account_id, line_id, peer_id, seq);
-- retention (LINEGATE_EVENT_RETENTION_DAYS) deletes by age without reading the whole table
CREATE INDEX events_created ON events (created_at);
