-- Events to the CRM (docs/api.md, "Events"): the transactional outbox and the accounts' callback configuration.
ALTER TABLE accounts ADD COLUMN event_seq BIGINT NOT NULL DEFAULT 0;    -- the account's last assigned seq
ALTER TABLE accounts ADD COLUMN callback_url TEXT;                      -- null: no callbacks
ALTER TABLE accounts ADD COLUMN callback_secret TEXT;                   -- sealed with the master key (TokenCipher), never plain
ALTER TABLE accounts ADD COLUMN callback_secret_previous TEXT;          -- sealed; still signs until ..._until
ALTER TABLE accounts ADD COLUMN callback_secret_previous_until BIGINT;  -- epoch millis
CREATE TABLE events (
    id            BIGSERIAL PRIMARY KEY,
    event_id      TEXT    NOT NULL UNIQUE,        -- 'evt_' + 26 chars of a ULID-like time-ordered random id
    account_id    BIGINT  NOT NULL REFERENCES accounts(id),
    seq           BIGINT  NOT NULL,               -- per account, strictly increasing; UNIQUE (account_id, seq)
    type          TEXT    NOT NULL,               -- message.received | message.status | message.echo | line.status | conversation.window_closing | comment.received
    line_id       BIGINT,                         -- with peer_id: the conversation, the callbacks' ordering key
    peer_id       TEXT,
    cdls_id       BIGINT,                         -- the message_log row, for message.* events
    state         TEXT,                           -- message.status: the state the row moved to (sent, failed, unknown, delivered, read)
    occurred_at   BIGINT  NOT NULL,               -- epoch millis of the change
    delivery      TEXT    NOT NULL,               -- none (no callback URL when written) | pending | delivered | dead
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_node    BIGINT,                         -- nodes.id of the node delivering it now (PostgreSQL: several nodes)
    lease_until   BIGINT,
    last_error    TEXT,                           -- short, no secrets, no response bodies beyond a bounded excerpt
    delivered_at  BIGINT,
    created_at    BIGINT  NOT NULL,
    UNIQUE (account_id, seq)
);
CREATE INDEX events_due ON events (delivery, next_attempt_at);
CREATE INDEX events_conversation ON events (account_id, line_id, peer_id, seq);
