package linegate.store.operators;

import linegate.store.ApiTokenHash;
import linegate.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Owner of {@code admin_sessions}: the console's signed-in browsers. A session is known by the SHA-256 of its cookie's
 * random value, belongs to the admin token it was opened with, and lasts while that token is live, it was used within
 * {@link #IDLE_TIMEOUT}, and it is younger than {@link #MAX_AGE}. A session found past either limit is deleted.
 */
public final class AdminSessions {
    /** A console left alone this long signs out. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** However busy, a session ends this long after sign-in. */
    public static final Duration MAX_AGE = Duration.ofHours(12);
    /** Last use is written at most this often a session. */
    static final Duration SEEN_PRECISION = Duration.ofMinutes(1);
    private static final String PREFIX = "lgs_";

    /** A live session: the admin token behind it, and when it was opened. */
    public record Session(long id, long adminTokenId, String label, long createdAtMillis) {
    }

    private final Database db;
    private final Clock clock;

    public AdminSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens a session for a live admin token; returns the cookie's value (random, shown to the browser only). */
    public String open(long adminTokenId) {
        String value = ApiTokenHash.newToken(PREFIX);
        long now = clock.millis();
        db.transaction(h -> {
            // signing in is rare: a good moment to forget sessions that ended by age
            h.createUpdate("DELETE FROM admin_sessions WHERE last_seen_at < :idle OR created_at < :old")
                    .bind("idle", now - IDLE_TIMEOUT.toMillis()).bind("old", now - MAX_AGE.toMillis()).execute();
            return h.createUpdate("""
                            INSERT INTO admin_sessions (session_hash, admin_token_id, created_at, last_seen_at)
                            VALUES (:hash, :token, :now, :now)""")
                    .bind("hash", ApiTokenHash.of(value).hex())
                    .bind("token", adminTokenId)
                    .bind("now", now)
                    .execute();
        });
        return value;
    }

    /** The live session with this cookie value, its use recorded; empty when unknown, ended, or its token revoked. */
    public Optional<Session> use(String value) {
        ApiTokenHash hash = ApiTokenHash.of(value);
        long now = clock.millis();
        record Found(Session session, long lastSeen, String hash) {
        }
        Optional<Found> found = db.call(h -> h.createQuery("""
                        SELECT s.id, s.admin_token_id, t.label, s.created_at, s.last_seen_at, s.session_hash
                        FROM admin_sessions s JOIN admin_tokens t ON t.id = s.admin_token_id
                        WHERE s.session_hash = :hash AND t.revoked_at IS NULL""")
                .bind("hash", hash.hex())
                .map((rs, ctx) -> new Found(new Session(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)),
                        rs.getLong(5), rs.getString(6)))
                .findFirst())
                .filter(f -> hash.matches(new ApiTokenHash(f.hash())));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Found f = found.get();
        if (now - f.lastSeen() >= IDLE_TIMEOUT.toMillis()
                || now - f.session().createdAtMillis() >= MAX_AGE.toMillis()) {
            end(f.session().id());
            return Optional.empty();
        }
        if (now - f.lastSeen() >= SEEN_PRECISION.toMillis()) {
            db.call(h -> h.createUpdate("UPDATE admin_sessions SET last_seen_at = :now WHERE id = :id")
                    .bind("id", f.session().id()).bind("now", now).execute());
        }
        return Optional.of(f.session());
    }

    /** Ends the session (sign-out); ending one that has ended is not an error. */
    public void end(long sessionId) {
        db.call(h -> h.createUpdate("DELETE FROM admin_sessions WHERE id = :id").bind("id", sessionId).execute());
    }
}
