-- Instagram Login lines (contract §11, docs/operations.md "Instagram Login lines"): how a line's token was granted.
-- 'facebook': a Page access token, sends to graph.facebook.com/{version}/me/messages (every line before V12).
-- 'instagram': an Instagram User access token, sends to graph.instagram.com/{version}/{ig_account_id}/messages; such
-- tokens live 60 days and Linegate refreshes them.
ALTER TABLE lines ADD COLUMN login TEXT NOT NULL DEFAULT 'facebook' CHECK (login IN ('facebook', 'instagram'));
-- When the line's current token was set or last refreshed, and when Meta said it expires (epoch ms); expires NULL:
-- not known (a Page token, or an Instagram token given without --token-expires). Both change only with the token, so
-- the lookup_generation trigger (V4) moving with them is right: every node must send with the new token.
ALTER TABLE lines ADD COLUMN token_issued_at BIGINT;
ALTER TABLE lines ADD COLUMN token_expires_at BIGINT;

-- The token work's bookkeeping, one row a line, apart from lines because it changes on every check: an UPDATE on
-- lines moves lookup_generation, and every node would drop its whole look-up cache after each check.
-- checked_at: the periodic token check's claim (the node whose compare-and-set moved it checks the line this round).
-- refresh_after: no refresh is tried before it (a refresh in progress holds it, a failed one backs off by it).
-- refreshed_at, refresh_error: the last refresh that worked, and why the last one failed (never a token).
CREATE TABLE line_token_checks (
    line_id       BIGINT NOT NULL PRIMARY KEY REFERENCES lines (id),
    checked_at    BIGINT,
    refresh_after BIGINT,
    refreshed_at  BIGINT,
    refresh_error TEXT
);
