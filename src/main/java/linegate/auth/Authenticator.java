package linegate.auth;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.store.Lookups;

import java.util.Optional;

/** Resolves an API token ({@code tsid}) to its account: 100 when none was given, 101 when unknown or revoked. */
public final class Authenticator {
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
        return lookups.accountOf(token)
                .orElseThrow(() -> ApiException.of(StatusCode.INVALID_TSID, "unknown or revoked token"));
    }
}
