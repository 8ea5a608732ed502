package linegate.store.events;

import linegate.store.Database;
import linegate.store.NotFoundException;
import linegate.store.TokenCipher;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Owner of the accounts' callback columns (V7): the URL and the signing secrets, sealed with the master key like page
 * access tokens, so a copy of the database alone does not reveal them. A rotated-out secret keeps signing until
 * {@code callback_secret_previous_until}. The URL is checked by the caller (events.CallbackUrl) before it gets here.
 */
public final class Callbacks {
    /** How long a rotated-out secret still signs: the time a client has to deploy the new one. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final Database db;
    private final TokenCipher cipher;
    private final Clock clock;

    public Callbacks(Database db, TokenCipher cipher, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * Sets the URL. An account without a secret gets {@code newSecret}, and true is returned; one that has a secret
     * keeps it (the client already verifies with it), and false is returned.
     */
    public boolean setUrl(long accountId, String url, String newSecret) {
        return db.transaction(h -> {
            boolean hadSecret = current(h, accountId).isPresent();
            h.createUpdate("""
                            UPDATE accounts SET callback_url = :url,
                                                callback_secret = COALESCE(callback_secret, :sealed)
                            WHERE id = :id""")
                    .bind("id", accountId)
                    .bind("url", url)
                    .bind("sealed", cipher.sealCallbackSecret(newSecret))
                    .execute();
            return !hadSecret;
        });
    }

    /** Makes {@code newSecret} the signing secret; the one it replaces still signs for {@link #ROTATION_OVERLAP}. */
    public void rotate(long accountId, String newSecret) {
        db.transaction(h -> {
            if (current(h, accountId).isEmpty()) {
                throw new IllegalArgumentException("account " + accountId + " has no callback URL, so no secret to rotate:"
                        + " set one with 'linegate account update " + accountId + " --callback-url URL'");
            }
            return h.createUpdate("""
                            UPDATE accounts SET callback_secret_previous = callback_secret,
                                                callback_secret_previous_until = :until,
                                                callback_secret = :sealed
                            WHERE id = :id""")
                    .bind("id", accountId)
                    .bind("until", clock.millis() + ROTATION_OVERLAP.toMillis())
                    .bind("sealed", cipher.sealCallbackSecret(newSecret))
                    .execute();
        });
    }

    /** Removes the URL and both secrets: the account's new events are written undeliverable ({@code none}). */
    public void remove(long accountId) {
        db.transaction(h -> {
            current(h, accountId);
            return h.createUpdate("""
                            UPDATE accounts SET callback_url = NULL, callback_secret = NULL,
                                                callback_secret_previous = NULL, callback_secret_previous_until = NULL
                            WHERE id = :id""")
                    .bind("id", accountId)
                    .execute();
        });
    }

    /** The account's callback target, if it has a URL; the previous secret only while it still signs. */
    public Optional<CallbackTarget> find(long accountId) {
        long now = clock.millis();
        return db.call(h -> h.createQuery("""
                        SELECT callback_url, callback_secret, callback_secret_previous, callback_secret_previous_until
                        FROM accounts WHERE id = :id AND callback_url IS NOT NULL AND callback_secret IS NOT NULL""")
                .bind("id", accountId)
                .map((rs, ctx) -> {
                    String previous = rs.getString(3);
                    long until = rs.getLong(4);
                    return new CallbackTarget(accountId, rs.getString(1), cipher.openCallbackSecret(rs.getString(2)),
                            previous != null && until > now
                                    ? Optional.of(cipher.openCallbackSecret(previous)) : Optional.empty());
                })
                .findOne());
    }

    /** The sealed current secret, if any. @throws NotFoundException when there is no such account */
    private static Optional<String> current(Handle h, long accountId) {
        return h.createQuery("SELECT callback_secret FROM accounts WHERE id = :id")
                .bind("id", accountId)
                .map((rs, ctx) -> Optional.ofNullable(rs.getString(1)))
                .findOne()
                .orElseThrow(() -> new NotFoundException("account " + accountId
                        + " does not exist: create one with 'linegate account create --name NAME'"));
    }
}
