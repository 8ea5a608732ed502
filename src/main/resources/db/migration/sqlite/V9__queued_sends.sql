-- Queued sends (docs/api.md, "Queued sends"): a send with async=1 is a message_log row in the new state 'queued' until
-- a worker claims it ('accepted', node_id = the claiming node), calls Meta and records the answer, as a direct send
-- does. The queue is those rows: no second table to keep in step with the log.
--
-- attempts: Graph calls made for a queued send (NULL for a direct send, which makes exactly one). next_attempt_at: when
-- a queued row may be claimed (epoch ms). retry_reason: why the last attempt was put back to be tried again.
--
-- SQLite cannot change a CHECK constraint in place, so message_log is rebuilt with 'queued' among its states: every
-- row and every index as before, AUTOINCREMENT's high-water mark kept, so no cdls_id is ever given out twice.
CREATE TABLE message_log_v9 (
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
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'accepted', 'sent', 'failed', 'unknown', 'delivered', 'read', 'received')),
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
    read_at         INTEGER,
    idempotent      BOOLEAN NOT NULL DEFAULT 0,
    origin          TEXT    NOT NULL DEFAULT 'api',
    event_key       TEXT,
    event_json      TEXT,
    edit_count      INTEGER NOT NULL DEFAULT 0,
    deleted_at      INTEGER,
    node_id         INTEGER,
    request_hash    TEXT,
    attempts        INTEGER,
    next_attempt_at INTEGER,
    retry_reason    TEXT
);
INSERT INTO message_log_v9 (id, account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id, tag,
                            meta_message_id, state, error_code, error_status, error_detail, meta_code, meta_subcode,
                            meta_type, meta_message, meta_fbtrace_id, created_at, updated_at, sent_at, delivered_at,
                            read_at, idempotent, origin, event_key, event_json, edit_count, deleted_at, node_id,
                            request_hash)
SELECT id, account_id, line_id, channel, direction, peer_id, mtype, mdata, msg_id, tag,
       meta_message_id, state, error_code, error_status, error_detail, meta_code, meta_subcode,
       meta_type, meta_message, meta_fbtrace_id, created_at, updated_at, sent_at, delivered_at,
       read_at, idempotent, origin, event_key, event_json, edit_count, deleted_at, node_id,
       request_hash
FROM message_log;
-- the copy set message_log_v9's mark to the highest id copied; the old table's may be higher (a rolled-back insert)
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'message_log'), 0))
WHERE name = 'message_log_v9';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'message_log_v9', seq FROM sqlite_sequence WHERE name = 'message_log'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'message_log_v9');
DROP TABLE message_log;
ALTER TABLE message_log_v9 RENAME TO message_log;

CREATE INDEX message_log_account ON message_log (account_id, id);
CREATE INDEX message_log_accepted ON message_log (state, created_at);
CREATE UNIQUE INDEX message_log_live_msg_id ON message_log (account_id, msg_id)
    WHERE idempotent AND msg_id IS NOT NULL AND direction = 'out' AND state <> 'failed';
CREATE INDEX message_log_msg_id ON message_log (account_id, msg_id, id);
CREATE UNIQUE INDEX message_log_event ON message_log (line_id, event_key) WHERE event_key IS NOT NULL;
CREATE INDEX message_log_mid ON message_log (line_id, meta_message_id);
CREATE INDEX message_log_peer ON message_log (line_id, peer_id, direction);

-- The queue's two reads, each over the live queued sends only (a row leaves both indexes when it is final):
-- the rows due to be claimed, in due order (state leads, so that SQLite prefers it to message_log_accepted and walks
-- it in order instead of sorting every queued row); and each conversation's (line, peer) oldest live queued send, its head,
-- the only one of the conversation that may be claimed (in order per conversation).
CREATE INDEX message_log_queue_due ON message_log (state, next_attempt_at) WHERE state = 'queued';
CREATE INDEX message_log_queue_conversation ON message_log (line_id, peer_id, id)
    WHERE attempts IS NOT NULL AND state IN ('queued', 'accepted');
