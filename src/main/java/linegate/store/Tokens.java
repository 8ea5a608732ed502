package linegate.store;

import java.time.Clock;
import java.util.Optional;

/** Owner of the {@code api_tokens} table. Stores hashes only; the token is returned once, by {@link #create}. */
public final class Tokens {
    /** A freshly created token: the only time the token itself exists outside the client. */
    public record Created(long id, String tsid) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", tsid=[REDACTED]]";
        }
    }

    private final Database db;
    private final Clock clock;
    private final LookupEpoch lookups;

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
