-- Pauses on Meta's usage (contract §10): a line, or every line of the app, sends nothing to Meta until paused_until
-- (epoch milliseconds). Every node reads the pauses that still hold about once a second, so a pause one node records
-- is honoured by all. scope is 'line' (scope_id the line's id) or 'app' (scope_id 0: the app every line uses).
CREATE TABLE usage_pauses (
    scope        TEXT   NOT NULL CHECK (scope IN ('line', 'app')),
    scope_id     BIGINT NOT NULL,
    paused_until BIGINT NOT NULL,
    reason       TEXT   NOT NULL,
    recorded_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, scope_id)
);
CREATE INDEX usage_pauses_until ON usage_pauses (paused_until);

-- A line's own send budget (contract §10, `line create/update --sends-per-second`); NULL: LINEGATE_LINE_SENDS_PER_SECOND.
ALTER TABLE lines ADD COLUMN sends_per_second INTEGER CHECK (sends_per_second IS NULL OR sends_per_second >= 1);
