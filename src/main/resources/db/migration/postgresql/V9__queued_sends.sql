-- Queued sends (docs/api.md, "Queued sends"): a send with async=1 is a message_log row in the new state 'queued' until
-- a worker claims it ('accepted', node_id = the claiming node), calls Meta and records the answer, as a direct send
-- does. The queue is those rows: no second table to keep in step with the log.
--
-- attempts: Graph calls made for a queued send (NULL for a direct send, which makes exactly one). next_attempt_at: when
-- a queued row may be claimed (epoch ms). retry_reason: why the last attempt was put back to be tried again.
ALTER TABLE message_log DROP CONSTRAINT message_log_state_check;
ALTER TABLE message_log ADD CONSTRAINT message_log_state_check
    CHECK (state IN ('queued', 'accepted', 'sent', 'failed', 'unknown', 'delivered', 'read', 'received'));
ALTER TABLE message_log ADD COLUMN attempts INTEGER;
ALTER TABLE message_log ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE message_log ADD COLUMN retry_reason TEXT;

-- The queue's two reads, each over the live queued sends only (a row leaves both indexes when it is final):
-- the rows due to be claimed, in due order (state leads, so that SQLite prefers it to message_log_accepted and walks
-- it in order instead of sorting every queued row); and each conversation's (line, peer) oldest live queued send, its head,
-- the only one of the conversation that may be claimed (in order per conversation).
CREATE INDEX message_log_queue_due ON message_log (state, next_attempt_at) WHERE state = 'queued';
CREATE INDEX message_log_queue_conversation ON message_log (line_id, peer_id, id)
    WHERE attempts IS NOT NULL AND state IN ('queued', 'accepted');
