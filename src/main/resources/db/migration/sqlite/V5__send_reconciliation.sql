-- Serving nodes. Each start registers a new row (a restarted process is a new node) and beats last_seen while it
-- runs; a clean stop sets stopped_at. A row left accepted by a node that stopped, or whose beat went stale, belongs to
-- no running send and is marked unknown without waiting for the age-based sweep.
CREATE TABLE nodes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    stopped_at INTEGER
);

-- node_id: the node that claimed an accepted row (NULL for rows written before this migration and for rows refused
-- before any claim). request_hash: SHA-256 of the request's canonical form (line, recipient, type, tag, content), so
-- a msg_id reused with different content is told apart from a retry (NULL on older rows: no comparison is made).
ALTER TABLE message_log ADD COLUMN node_id INTEGER;
ALTER TABLE message_log ADD COLUMN request_hash TEXT;
