-- Webhooks: a durable inbox for Meta's deliveries, conversations (the 24-hour window), and what inbound rows need.

-- Every signed delivery is stored here before Meta gets its 200, then applied; a row not yet applied (a crash, a
-- database error) is retried. Applying is idempotent, so a redelivery or a second node applying it changes nothing.
CREATE TABLE webhook_inbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at  INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    processed_at INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox (processed_at, id);

-- One row per (line, peer): when the customer last wrote (opens the 24-hour window, 7 days with HUMAN_AGENT).
CREATE TABLE conversations (
    line_id         INTEGER NOT NULL REFERENCES lines (id),
    peer_id         TEXT    NOT NULL,
    last_inbound_at INTEGER NOT NULL,
    PRIMARY KEY (line_id, peer_id)
);

-- origin: 'api' (sent through Linegate), 'customer' (inbound), 'meta_app' (typed in Meta's own apps, seen as an echo).
-- event_key identifies a webhook event, so applying it twice inserts one row.
ALTER TABLE message_log ADD COLUMN origin TEXT NOT NULL DEFAULT 'api';
ALTER TABLE message_log ADD COLUMN event_key TEXT;
ALTER TABLE message_log ADD COLUMN event_json TEXT;
ALTER TABLE message_log ADD COLUMN edit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message_log ADD COLUMN deleted_at INTEGER;
CREATE UNIQUE INDEX message_log_event ON message_log (line_id, event_key) WHERE event_key IS NOT NULL;
CREATE INDEX message_log_mid ON message_log (line_id, meta_message_id);
CREATE INDEX message_log_peer ON message_log (line_id, peer_id, direction);

CREATE INDEX lines_ig_account ON lines (ig_account_id);
CREATE INDEX lines_page ON lines (page_id);
