package linegate.store;

import java.util.List;
import java.util.Objects;

/**
 * Owner of {@code usage_pauses}: the lines (and the app) that send nothing to Meta until a moment, because Meta's usage
 * headers or a rate-limit answer said so (contract §10). A pause only ever grows: recording a shorter one than the one
 * held changes nothing, so two nodes recording at once keep the longer. One row per line at most (and one for the
 * app), so the table needs no pruning: an ended pause is ignored and overwritten by the next.
 */
public final class UsagePauses {
    /** What a pause covers: one line, or every line of the app. */
    public enum Scope {
        LINE, APP;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The app-wide pause's {@code scope_id}: Linegate's lines share one Meta app. */
    public static final long THE_APP = 0;

    /** A pause that holds until {@code untilMillis}; {@code reason} names the header or code and its figure. */
    public record Pause(Scope scope, long scopeId, long untilMillis, String reason) {
        public Pause {
            Objects.requireNonNull(scope);
            Objects.requireNonNull(reason);
        }
    }

    private final Database db;

    public UsagePauses(Database db) {
        this.db = db;
    }

    /** Records the pause, or lengthens the one held to it; a shorter one leaves the held one as it is. */
    public void record(Pause pause, long nowMillis) {
        db.call(h -> h.createUpdate("""
                        INSERT INTO usage_pauses (scope, scope_id, paused_until, reason, recorded_at)
                        VALUES (:scope, :id, :until, :reason, :now)
                        ON CONFLICT (scope, scope_id) DO UPDATE
                        SET paused_until = excluded.paused_until, reason = excluded.reason, recorded_at = excluded.recorded_at
                        WHERE usage_pauses.paused_until < excluded.paused_until""")
                .bind("scope", pause.scope().wire())
                .bind("id", pause.scopeId())
                .bind("until", pause.untilMillis())
                .bind("reason", pause.reason())
                .bind("now", nowMillis)
                .execute());
    }

    /** The pauses that still hold at {@code nowMillis}. */
    public List<Pause> holding(long nowMillis) {
        return db.call(h -> h.createQuery("""
                        SELECT scope, scope_id, paused_until, reason FROM usage_pauses WHERE paused_until > :now""")
                .bind("now", nowMillis)
                .map((rs, ctx) -> new Pause(Scope.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)),
                        rs.getLong(2), rs.getLong(3), rs.getString(4)))
                .list());
    }

    /** A line pause an operator ended early ({@link #end}): which line, and when it was ended. */
    public record Ended(long lineId, long atMillis) {
    }

    /**
     * Ends the line's own pause now (an operator's resume), whatever set it; the row stays, ended, so that every
     * node's {@code refresh} sees the end ({@link #endedAfter}). True if a pause held.
     */
    public boolean end(long lineId, long nowMillis) {
        return db.call(h -> h.createUpdate("""
                        UPDATE usage_pauses SET paused_until = :now, reason = :reason, recorded_at = :now
                        WHERE scope = 'line' AND scope_id = :id AND paused_until > :now""")
                .bind("id", lineId)
                .bind("now", nowMillis)
                .bind("reason", RESUMED)
                .execute()) > 0;
    }

    /** The reason an ended pause's row keeps. */
    public static final String RESUMED = "resumed by an operator";

    /** Line pauses ended by {@link #end} after {@code afterMillis}, oldest first. */
    public List<Ended> endedAfter(long afterMillis) {
        return db.call(h -> h.createQuery("""
                        SELECT scope_id, recorded_at FROM usage_pauses
                        WHERE scope = 'line' AND reason = :reason AND recorded_at > :after ORDER BY recorded_at""")
                .bind("reason", RESUMED)
                .bind("after", afterMillis)
                .map((rs, ctx) -> new Ended(rs.getLong(1), rs.getLong(2)))
                .list());
    }
}
