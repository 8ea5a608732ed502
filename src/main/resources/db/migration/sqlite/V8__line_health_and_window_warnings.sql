-- Line health (docs/api.md, "Events": line.status) and the closing-window warning (conversation.window_closing).

-- A line's health as Meta's answers show it: 'ok' (Meta took a send), 'token_rejected' (Meta refused the token:
-- 190, 102 and the other re-authorisation errors), 'restricted' (Meta restricted the Page or account from sending),
-- 'unknown' (no telling answer yet). health_reason says why, in Meta's words; health_changed_at is when (epoch ms).
ALTER TABLE lines ADD COLUMN health TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE lines ADD COLUMN health_reason TEXT;
ALTER TABLE lines ADD COLUMN health_changed_at INTEGER;

-- The last_inbound_at whose 24-hour window was warned about: once per window, whichever node warns first (a later
-- customer message opens a new window, which gets its own warning). The index serves the scan for windows about to
-- close without reading every conversation.
ALTER TABLE conversations ADD COLUMN window_warned_for INTEGER;
CREATE INDEX conversations_last_inbound ON conversations (last_inbound_at);

-- What the non-message events report: channel (the line's class, for events without a message_log row),
-- previous_state (line.status: the health before the change; state holds the new one), reason (line.status: why),
-- expires_at (conversation.window_closing: when the window closes, epoch ms).
ALTER TABLE events ADD COLUMN channel TEXT;
ALTER TABLE events ADD COLUMN previous_state TEXT;
ALTER TABLE events ADD COLUMN reason TEXT;
ALTER TABLE events ADD COLUMN expires_at INTEGER;

-- A callback claim asks, for each due event, whether an earlier event of its conversation is still pending. Line
-- events have no peer (NULL), so the conversation key is compared as COALESCE(peer_id, ''); this partial index holds
-- only pending events under that key, so the question costs one probe however many events the account keeps.
-- (Measured before it, with 50,000 pending and 150,000 delivered events of one account: a claim took 5.5 s on SQLite,
-- holding its write lock, and 0.1 s on PostgreSQL.)
CREATE INDEX events_pending_conversation ON events (account_id, line_id, (COALESCE(peer_id, '')), seq)
    WHERE delivery = 'pending';
-- The claim's other two reads, each over the account's pending events only: its due events in seq order, and how
-- many of them other claims hold under a lease.
CREATE INDEX events_pending_seq ON events (account_id, seq) WHERE delivery = 'pending';
CREATE INDEX events_pending_leased ON events (account_id, lease_until) WHERE delivery = 'pending' AND lease_until IS NOT NULL;
