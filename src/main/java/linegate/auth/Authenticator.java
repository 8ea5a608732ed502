package linegate.auth;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.store.Lookups;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Resolves an API token ({@code tsid}) to its account: 100 when none was given, 101 when unknown or revoked, 503 when
 * the database cannot say.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    /** Longer than any token Linegate issues; a longer value is refused without hashing it. */
    static final int MAX_TOKEN_LENGTH = 512;
    private final Lookups lookups;

    public Authenticator(Lookups lookups) {
        this.lookups = lookups;
    }

    public long accountOf(Optional<String> tsid) {
        String token = tsid.map(String::strip).filter(t -> !t.isEmpty())
                .orElseThrow(() -> ApiException.of(StatusCode.NO_TSID,
                        "give the account's API token in tsid or as 'Authorization: Bearer <tsid>'"));
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.of(StatusCode.INVALID_TSID, "unknown or revoked token");
        }
        Optional<Long> account;
        try {
            account = lookups.accountOf(token);
        } catch (StoreUnavailableException e) {
            LOG.warn("a token could not be checked; answered 503: {}", e.getMessage());
            throw ApiException.databaseUnavailable();
        }
        return account.orElseThrow(() -> ApiException.of(StatusCode.INVALID_TSID, "unknown or revoked token"));
    }
}
