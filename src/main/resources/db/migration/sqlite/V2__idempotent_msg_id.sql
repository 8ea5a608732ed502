-- Idempotent msg_id: among an account's outbound attempts that did not fail, a msg_id is unique. The database enforces
-- it, so it holds across concurrent requests and across several Linegate nodes on one database. Failed attempts are
-- outside the index, so a new attempt may follow a failed one.
-- Rows written before this migration are outside it too (idempotent false): msg_id was only a stored reference then,
-- so an existing log may repeat one, and an index over those rows could not be built.
ALTER TABLE message_log ADD COLUMN idempotent BOOLEAN NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX message_log_live_msg_id ON message_log (account_id, msg_id)
    WHERE idempotent AND msg_id IS NOT NULL AND direction = 'out' AND state <> 'failed';

-- MessageStatus by msg_id: the newest attempt, failed ones included.
CREATE INDEX message_log_msg_id ON message_log (account_id, msg_id, id);
