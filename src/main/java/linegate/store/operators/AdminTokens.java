package linegate.store.operators;

import linegate.store.ApiTokenHash;
import linegate.store.Database;
import linegate.store.NotFoundException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Owner of {@code admin_tokens}: the operators' tokens for {@code /admin/v1} and the console. Stores hashes only; the
 * token ({@code lga_…}) is returned once, by {@link #create}. Revoking a token ends its console sessions in the same
 * transaction.
 */
public final class AdminTokens {
    /** What every admin token starts with, so that one pasted where a tsid belongs is told apart at a glance. */
    public static final String PREFIX = "lga_";
    /** A use is written at most this often per token: a busy console does not write on every request. */
    static final Duration USE_PRECISION = Duration.ofMinutes(1);

    /** A freshly created token: the only time the token itself exists outside the operator's hands. */
    public record Created(long id, String token) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", token=[REDACTED]]";
        }
    }

    /** One admin token as listed; never the token. */
    public record AdminToken(long id, String label, long createdAtMillis, Optional<Long> lastUsedAtMillis,
                             Optional<Long> revokedAtMillis) {
        public boolean revoked() {
            return revokedAtMillis.isPresent();
        }
    }

    private static final String COLUMNS = "id, label, created_at, last_used_at, revoked_at, token_hash";

    private final Database db;
    private final Clock clock;

    public AdminTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Created create(String label) {
        String token = ApiTokenHash.newToken(PREFIX);
        long id = db.call(h -> h.createQuery("""
                        INSERT INTO admin_tokens (token_hash, label, created_at)
                        VALUES (:hash, :label, :now) RETURNING id""")
                .bind("hash", ApiTokenHash.of(token).hex())
                .bind("label", label)
                .bind("now", clock.millis())
                .mapTo(Long.class)
                .one());
        return new Created(id, token);
    }

    /** Oldest first. */
    public List<AdminToken> list() {
        return db.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM admin_tokens ORDER BY id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** Revokes the token and ends its sessions; revoking twice is not an error. */
    public AdminToken revoke(long id) {
        long now = clock.millis();
        return db.transaction(h -> {
            int n = h.createUpdate("UPDATE admin_tokens SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id")
                    .bind("id", id).bind("now", now).execute();
            if (n == 0) {
                throw new NotFoundException("admin token " + id + " does not exist (see 'linegate admin-token list')");
            }
            h.createUpdate("DELETE FROM admin_sessions WHERE admin_token_id = :id").bind("id", id).execute();
            return h.createQuery("SELECT " + COLUMNS + " FROM admin_tokens WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> map(rs))
                    .one();
        });
    }

    /**
     * The live (not revoked) token with this value, its use recorded (to within {@link #USE_PRECISION}). The hash is
     * the look-up key; the stored one is compared again in constant time.
     */
    public Optional<AdminToken> use(String token) {
        ApiTokenHash hash = ApiTokenHash.of(token);
        long now = clock.millis();
        Optional<AdminToken> found = db.call(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM admin_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash.hex())
                .map((rs, ctx) -> hash.matches(new ApiTokenHash(rs.getString("token_hash")))
                        ? Optional.of(map(rs)) : Optional.<AdminToken>empty())
                .findFirst()
                .flatMap(t -> t));
        found.filter(t -> t.lastUsedAtMillis().map(at -> now - at >= USE_PRECISION.toMillis()).orElse(true))
                .ifPresent(t -> touch(t.id(), now));
        return found;
    }

    private static AdminToken map(ResultSet rs) throws SQLException {
        return new AdminToken(rs.getLong("id"), rs.getString("label"), rs.getLong("created_at"),
                nullableLong(rs, "last_used_at"), nullableLong(rs, "revoked_at"));
    }

    static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private void touch(long id, long now) {
        db.call(h -> h.createUpdate("UPDATE admin_tokens SET last_used_at = :now WHERE id = :id")
                .bind("id", id).bind("now", now).execute());
    }
}
