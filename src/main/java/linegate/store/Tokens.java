package linegate.store;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owner of the {@code api_tokens} table, and of {@code api_token_uses} (when each was last used). Stores hashes only;
 * the token is returned once, by {@link #create}. Uses are noted in memory on the send path and written by
 * {@link #flushUses()} (once a minute on a serving node): a write per request would cost every send a transaction.
 */
public final class Tokens {
    /** A freshly created token: the only time the token itself exists outside the client. */
    public record Created(long id, String tsid) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", tsid=[REDACTED]]";
        }
    }

    /** One API token as listed; never the token. */
    public record Listed(long id, long accountId, String label, long createdAtMillis, Optional<Long> lastUsedAtMillis,
                         boolean revoked) {
    }

    private final Database db;
    private final Clock clock;
    private final LookupEpoch lookups;
    /** Token hash to the last time this process saw it used, not yet written. */
    private final Map<String, Long> unwrittenUses = new ConcurrentHashMap<>();

    /** {@code lookups} is advanced after each committed change, so this process's cached look-ups see it at once. */
    public Tokens(Database db, Clock clock, LookupEpoch lookups) {
        this.db = db;
        this.clock = clock;
        this.lookups = lookups;
    }

    public Created create(long accountId, String label) {
        String tsid = ApiTokenHash.newToken();
        long id = db.transaction(h -> {
            Accounts.requireExists(h, accountId);
            return h.createQuery("""
                            INSERT INTO api_tokens (account_id, token_hash, label, created_at)
                            VALUES (:account, :hash, :label, :now) RETURNING id""")
                    .bind("account", accountId)
                    .bind("hash", ApiTokenHash.of(tsid).hex())
                    .bind("label", label)
                    .bind("now", clock.millis())
                    .mapTo(Long.class)
                    .one();
        });
        return new Created(id, tsid);
    }

    /** Revokes a token; revoking twice is not an error. */
    public void revoke(long id) {
        int n = db.call(h -> h.createUpdate("""
                        UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id""")
                .bind("id", id)
                .bind("now", clock.millis())
                .execute());
        lookups.advance();
        if (n == 0) {
            throw new NotFoundException("token " + id + " does not exist");
        }
    }

    /** The account's tokens, oldest first, from the first id above {@code afterId}, at most {@code limit}. */
    public List<Listed> list(long accountId, long afterId, int limit) {
        return db.call(h -> {
            Accounts.requireExists(h, accountId);
            return h.createQuery("""
                            SELECT t.id, t.account_id, t.label, t.created_at, u.last_used_at, t.revoked_at
                            FROM api_tokens t LEFT JOIN api_token_uses u ON u.token_id = t.id
                            WHERE t.account_id = :account AND t.id > :after ORDER BY t.id LIMIT :limit""")
                    .bind("account", accountId).bind("after", afterId).bind("limit", limit)
                    .map((rs, ctx) -> {
                        long used = rs.getLong(5);
                        Optional<Long> lastUsed = rs.wasNull() ? Optional.empty() : Optional.of(used);
                        rs.getLong(6);
                        boolean revoked = !rs.wasNull();
                        return new Listed(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), lastUsed,
                                revoked);
                    })
                    .list();
        });
    }

    /** The token with this id, as listed. */
    public Optional<Listed> find(long id) {
        return db.call(h -> h.createQuery("SELECT account_id FROM api_tokens WHERE id = :id")
                .bind("id", id).mapTo(Long.class).findOne())
                .flatMap(account -> list(account, id - 1, 1).stream().findFirst());
    }

    /** Notes that a live token was just used; written by the next {@link #flushUses()}. */
    void noteUse(ApiTokenHash hash) {
        unwrittenUses.put(hash.hex(), clock.millis());
    }

    /**
     * Writes the uses noted since the last flush; a later use already written (by another node) is kept. Never throws
     * for an unreachable database: the uses stay noted for the next flush.
     */
    public void flushUses() {
        if (unwrittenUses.isEmpty()) {
            return;
        }
        Map<String, Long> batch = Map.copyOf(unwrittenUses);
        try {
            db.transaction(h -> {
                var statement = h.prepareBatch("""
                        INSERT INTO api_token_uses (token_id, last_used_at)
                        SELECT id, :at FROM api_tokens WHERE token_hash = :hash
                        ON CONFLICT (token_id) DO UPDATE SET last_used_at = excluded.last_used_at
                        WHERE api_token_uses.last_used_at < excluded.last_used_at""");
                batch.forEach((hash, at) -> statement.bind("hash", hash).bind("at", at).add());
                return statement.execute();
            });
        } catch (StoreUnavailableException e) {
            return;
        }
        batch.forEach(unwrittenUses::remove);
    }

    /** The account a live (not revoked) token belongs to. */
    public Optional<Long> accountOf(String tsid) {
        return accountOf(ApiTokenHash.of(tsid));
    }

    Optional<Long> accountOf(ApiTokenHash hash) {
        return db.call(h -> h.createQuery("""
                        SELECT account_id, token_hash FROM api_tokens
                        WHERE token_hash = :hash AND revoked_at IS NULL""")
                .bind("hash", hash.hex())
                .map((rs, ctx) -> hash.matches(new ApiTokenHash(rs.getString("token_hash")))
                        ? Optional.of(rs.getLong("account_id")) : Optional.<Long>empty())
                .findFirst()
                .flatMap(o -> o));
    }
}
