package linegate.operators;

import java.util.Objects;
import java.util.Optional;

/**
 * A line to create, as an operator gives it (the command line's options, the admin API's body), before any check:
 * {@link LineOperations#create} checks every field with the same messages for both.
 */
public record NewLineInput(Optional<Long> accountId, String lineClass, Optional<String> pageToken,
                           Optional<String> igAccountId, Optional<String> pageId, boolean active, boolean humanAgent,
                           Optional<String> sendsPerSecond, Optional<String> login, Optional<String> tokenExpiresAt) {
    public NewLineInput {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(pageToken);
        Objects.requireNonNull(igAccountId);
        Objects.requireNonNull(pageId);
        Objects.requireNonNull(sendsPerSecond);
        Objects.requireNonNull(login);
        Objects.requireNonNull(tokenExpiresAt);
    }

    @Override
    public String toString() {
        return "NewLineInput[account=" + accountId + ", class=" + lineClass + ", pageToken="
                + (pageToken.isPresent() ? "[REDACTED]" : "none") + "]";
    }
}
