package linegate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token work on lines (docs/operations.md, "Token refresh" and "Line health"): which lines are due for the
 * periodic token check or for a refresh, the claims that let one node of several do each, and storing a refreshed
 * token. Owner of {@code line_token_checks}; writes {@code lines} only to replace a token.
 * <p>
 * Claims are compare-and-sets in one statement: of several nodes asking at once, exactly one gets the line.
 */
public final class LineTokens {
    private static final Logger LOG = LoggerFactory.getLogger(LineTokens.class);
    private final Database db;
    private final TokenCipher cipher;
    private final LookupEpoch lookups;

    LineTokens(Database db, TokenCipher cipher, LookupEpoch lookups) {
        this.db = db;
        this.cipher = cipher;
        this.lookups = lookups;
    }

    /**
     * A line's token as the token work needs it. {@code sealed} is the stored form, what a refresh compares against so
     * that it never overwrites a token an operator set meanwhile; {@code toString()} shows neither.
     */
    public record HeldToken(long lineId, long accountId, LineLogin login, PageAccessToken token, String sealed,
                            long issuedAtMillis, Optional<Long> expiresAtMillis) {
        public HeldToken {
            Objects.requireNonNull(login);
            Objects.requireNonNull(token);
            Objects.requireNonNull(sealed);
            Objects.requireNonNull(expiresAtMillis);
        }

        @Override
        public String toString() {
            return "HeldToken[line " + lineId + ", " + login.dbValue() + " login, token REDACTED]";
        }
    }

    private static final String HELD = """
            SELECT l.id, l.account_id, l.login, l.page_token_sealed, COALESCE(l.token_issued_at, l.created_at) AS issued,
                   l.token_expires_at
            FROM lines l LEFT JOIN line_token_checks c ON c.line_id = l.id
            """;

    /**
     * Active lines with a token that no check has claimed since {@code notCheckedSince}, least recently checked first,
     * at most {@code limit}.
     */
    public List<HeldToken> dueForCheck(long notCheckedSince, int limit) {
        return db.call(h -> h.createQuery(HELD + """
                        WHERE l.active AND l.page_token_sealed IS NOT NULL
                          AND (c.checked_at IS NULL OR c.checked_at <= :since)
                        ORDER BY COALESCE(c.checked_at, 0), l.id
                        LIMIT :limit""")
                .bind("since", notCheckedSince)
                .bind("limit", limit)
                .map((rs, ctx) -> held(rs))
                .list()).stream().flatMap(Optional::stream).toList();
    }

    /**
     * Claims this round's check of the line for this node: true when no check claimed it since {@code notCheckedSince}
     * (then {@code checked_at} is {@code now}), false when another node (or an earlier round) already did.
     */
    public boolean claimCheck(long lineId, long now, long notCheckedSince) {
        return db.call(h -> h.createUpdate("""
                        INSERT INTO line_token_checks (line_id, checked_at) VALUES (:line, :now)
                        ON CONFLICT (line_id) DO UPDATE SET checked_at = excluded.checked_at
                        WHERE line_token_checks.checked_at IS NULL OR line_token_checks.checked_at <= :since""")
                .bind("line", lineId)
                .bind("now", now)
                .bind("since", notCheckedSince)
                .execute()) == 1;
    }

    /**
     * Active Instagram Login lines whose token is older than {@code issuedBefore} and expires before
     * {@code expiringBefore} (or whose expiry is not known), and that no refresh holds or backs off from at {@code now}.
     */
    public List<HeldToken> dueForRefresh(long now, long issuedBefore, long expiringBefore) {
        return db.call(h -> h.createQuery(HELD + """
                        WHERE l.active AND l.login = 'instagram' AND l.page_token_sealed IS NOT NULL
                          AND COALESCE(l.token_issued_at, l.created_at) <= :issuedBefore
                          AND (l.token_expires_at IS NULL OR l.token_expires_at <= :expiringBefore)
                          AND (c.refresh_after IS NULL OR c.refresh_after <= :now)
                        ORDER BY l.id""")
                .bind("now", now)
                .bind("issuedBefore", issuedBefore)
                .bind("expiringBefore", expiringBefore)
                .map((rs, ctx) -> held(rs))
                .list()).stream().flatMap(Optional::stream).toList();
    }

    /**
     * Claims the refresh of the line's token until {@code until}: true for the one caller whose compare-and-set moved
     * {@code refresh_after} past {@code now}. A claim its holder never finishes (the node died) lapses at {@code until}.
     */
    public boolean claimRefresh(long lineId, long now, long until) {
        return db.call(h -> h.createUpdate("""
                        INSERT INTO line_token_checks (line_id, refresh_after) VALUES (:line, :until)
                        ON CONFLICT (line_id) DO UPDATE SET refresh_after = excluded.refresh_after
                        WHERE line_token_checks.refresh_after IS NULL OR line_token_checks.refresh_after <= :now""")
                .bind("line", lineId)
                .bind("now", now)
                .bind("until", until)
                .execute()) == 1;
    }

    /**
     * Replaces the line's token with the refreshed one, sealed, in one transaction with the end of the claim, if the
     * line still holds {@code old} (an operator's token set meanwhile stays). Sends on this node use the new token at
     * once; other nodes' look-ups see it within LINEGATE_LOOKUP_REFRESH_MS (the lines trigger moves the generation).
     * If this throws, nothing changed: the old token stays, and the claim lapses for a later try.
     *
     * @return false when the line no longer holds {@code old}
     */
    public boolean storeRefreshed(HeldToken old, PageAccessToken refreshed, long now, long expiresAtMillis) {
        String sealed = cipher.seal(refreshed);
        boolean stored = db.transaction(h -> {
            int replaced = h.createUpdate("""
                            UPDATE lines SET page_token_sealed = :sealed, token_issued_at = :now,
                                             token_expires_at = :expires, updated_at = :now
                            WHERE id = :line AND page_token_sealed = :old""")
                    .bind("line", old.lineId())
                    .bind("sealed", sealed)
                    .bind("now", now)
                    .bind("expires", expiresAtMillis)
                    .bind("old", old.sealed())
                    .execute();
            h.createUpdate("""
                            UPDATE line_token_checks SET refresh_after = NULL, refresh_error = NULL,
                                                         refreshed_at = CASE WHEN :replaced THEN :now ELSE refreshed_at END
                            WHERE line_id = :line""")
                    .bind("line", old.lineId())
                    .bind("now", now)
                    .bind("replaced", replaced == 1)
                    .execute();
            return replaced == 1;
        });
        lookups.advance();
        return stored;
    }

    /** A refresh failed: none is tried again before {@code retryAt}; {@code error} says why (Meta's words, no token). */
    public void refreshFailed(long lineId, long retryAt, String error) {
        db.call(h -> h.createUpdate("""
                        UPDATE line_token_checks SET refresh_after = :retryAt, refresh_error = :error
                        WHERE line_id = :line""")
                .bind("line", lineId)
                .bind("retryAt", retryAt)
                .bind("error", error)
                .execute());
    }

    /** The last refresh error of a line, or empty when its last refresh worked or none was tried. */
    public Optional<String> refreshError(long lineId) {
        return db.call(h -> h.createQuery("SELECT refresh_error FROM line_token_checks WHERE line_id = :line")
                .bind("line", lineId).mapTo(String.class).findOne());
    }

    /** How many active lines have each health (every health present, zero when none has it). */
    public Map<LineHealth, Long> activeLinesByHealth() {
        Map<LineHealth, Long> counts = new EnumMap<>(LineHealth.class);
        for (LineHealth health : LineHealth.values()) {
            counts.put(health, 0L);
        }
        db.call(h -> h.createQuery("SELECT health, COUNT(*) AS n FROM lines WHERE active GROUP BY health")
                .map((rs, ctx) -> Map.entry(LineHealth.fromDb(rs.getString("health")), rs.getLong("n")))
                .list()).forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** The line's token, or empty when it cannot be opened with the configured key (logged: set it again). */
    private Optional<HeldToken> held(ResultSet rs) throws SQLException {
        String sealed = rs.getString("page_token_sealed");
        PageAccessToken token;
        try {
            token = cipher.open(sealed);
        } catch (TokenCipher.UnreadableTokenException e) {
            LOG.error("line {}: {}; its token is neither checked nor refreshed", rs.getLong("id"), e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new HeldToken(rs.getLong("id"), rs.getLong("account_id"),
                LineLogin.fromDb(rs.getString("login")), token, sealed, rs.getLong("issued"),
                Lines.optionalLong(rs, "token_expires_at")));
    }
}
